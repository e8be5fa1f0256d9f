using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;
using Cimaa.AccessKeys;
using Cimaa.Testing;

namespace Cimaa.Core.Tests.AccessKeys;

/// <summary>Keys, a verifier on a manual clock, and requests signed by the AWS SDK's own AWS4 signer.</summary>
internal sealed class SigningSupport
{
    public const string KeyId = "AKIDTEST000000000001";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string InactiveId = "AKIDTEST000000000002";
    public const string Region = "us-west-2";

    public ManualClock Clock { get; } = new();
    public Dictionary<string, AccessKeyRecord> Keys { get; } = new()
    {
        [KeyId] = new(KeyId, Secret, PermissionSet.Parse(["web:rw"]), AccessKeyState.Active),
        [InactiveId] = new(InactiveId, Secret, PermissionSet.Parse(["web:rw"]), AccessKeyState.Inactive),
    };

    public SigV4Verifier Verifier(string region = Region) => new(region, id => Keys.GetValueOrDefault(id), Clock);

    public static string Hash(byte[] body) => SigV4.PayloadHash(body);

    /// <summary>Signs with Amazon.Runtime.Internal.Auth.AWS4Signer for the service amondawa and sets the clock to the signing time.</summary>
    public SignedRequest SignWithAws(string method, string resourcePath, byte[]? body, IReadOnlyList<(string Name, string Value)> query,
        IReadOnlyList<(string Name, string Value)> headers, string keyId = KeyId, string secret = Secret)
    {
        var request = new DefaultRequest(new AnyRequest(), "amondawa")
        {
            HttpMethod = method,
            Endpoint = new Uri("http://127.0.0.1:8080"),
            ResourcePath = resourcePath,
            UseQueryString = true,
        };
        foreach (var (n, v) in query) request.Parameters[n] = v;
        foreach (var (n, v) in headers) request.Headers[n] = v;
        if (body is not null) request.Content = body;
        var config = new AmazonDynamoDBConfig
        {
            ServiceURL = "http://127.0.0.1:8080",
            AuthenticationServiceName = "amondawa",
            AuthenticationRegion = Region,
        };
        new AWS4Signer().Sign(request, config, null, new BasicAWSCredentials(keyId, secret));
        var signed = new SignedRequest(method, AWSSDKUtils.ResolveResourcePathV2(resourcePath, request.PathResources),
            RawQuery(query), request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value)).ToList(),
            Hash(body ?? []));
        Clock.Set(SignedAt(signed));
        return signed;
    }

    /// <summary>The query as a client would send it: each name and value escaped on its own, in the given order.</summary>
    public static string RawQuery(IEnumerable<(string Name, string Value)> query) =>
        string.Join('&', query.Select(q => Uri.EscapeDataString(q.Name) + "=" + Uri.EscapeDataString(q.Value)));

    public static DateTimeOffset SignedAt(SignedRequest request) =>
        DateTimeOffset.ParseExact(Get(request, "x-amz-date")!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string? Get(SignedRequest request, string name) =>
        request.Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public static SignedRequest WithHeader(SignedRequest request, string name, string value) => request with
    {
        Headers = request.Headers.Where(h => !h.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            .Append(new KeyValuePair<string, string>(name, value)).ToList(),
    };

    public static SignedRequest WithoutHeader(SignedRequest request, string name) => request with
    {
        Headers = request.Headers.Where(h => !h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList(),
    };

    /// <summary>
    /// A request signed in Amondawa's form, computed here from the contract's words alone: the payload hash of the empty string,
    /// an empty canonical query, and the signed headers host and every x-amz-* header (here x-amz-date).
    /// </summary>
    public static SignedRequest SignAmondawa(string method, string path, string? rawQuery, byte[] body, DateTimeOffset at,
        string keyId = KeyId, string secret = Secret, string region = Region, string separator = ",")
    {
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var canonical = $"{method}\n{path}\n\nhost:127.0.0.1:8080\nx-amz-date:{amzDate}\n\nhost;x-amz-date\n" +
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        var scope = $"{date}/{region}/amondawa/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(Hmac(Hmac(key, region), "amondawa"), "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        var auth = $"AWS4-HMAC-SHA256 Credential={keyId}/{scope}{separator}SignedHeaders=host;x-amz-date{separator}Signature={signature}";
        return new SignedRequest(method, path, rawQuery,
            [new("Host", "127.0.0.1:8080"), new("X-Amz-Date", amzDate), new("Authorization", auth), new("Content-Type", "application/json")],
            Hash(body));
    }

    private static byte[] Hmac(byte[] key, string data) => System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    private sealed class AnyRequest : AmazonWebServiceRequest;
}
