using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;
using Cimaa.AccessKeys;

namespace Cimaa.Server.Tests;

/// <summary>Requests to the server, signed three ways: by the AWS SDK's own AWS4 signer, in Amondawa's form, and by Core's signer.</summary>
public static class Signing
{
    public const string Region = ServerOptions.DefaultRegion;

    /// <summary>
    /// Signed by Amazon.Runtime.Internal.Auth.AWS4Signer (AWSSDK.Core) for the service amondawa, then sent as the SDK would
    /// send it: the path it resolves, the query escaped parameter by parameter, and every header it signed.
    /// </summary>
    public static HttpRequestMessage AwsSdk(Uri baseUri, HttpMethod method, string path, byte[]? body, TestKey key,
        IReadOnlyList<(string Name, string Value)>? query = null, string region = Region)
    {
        query ??= [];
        var endpoint = baseUri.GetLeftPart(UriPartial.Authority);
        var request = new DefaultRequest(new AnyRequest(), "amondawa")
        {
            HttpMethod = method.Method,
            Endpoint = new Uri(endpoint),
            ResourcePath = path,
            UseQueryString = true,
        };
        foreach (var (n, v) in query) request.Parameters[n] = v;
        if (body is not null)
        {
            request.Content = body;
            request.Headers["Content-Type"] = "application/json";
        }
        var config = new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationServiceName = "amondawa", AuthenticationRegion = region };
        new AWS4Signer().Sign(request, config, null, new BasicAWSCredentials(key.Id, key.Secret));
        var rawQuery = string.Join('&', query.Select(q => Uri.EscapeDataString(q.Name) + "=" + Uri.EscapeDataString(q.Value)));
        var target = AWSSDKUtils.ResolveResourcePathV2(path, request.PathResources) + (rawQuery.Length > 0 ? "?" + rawQuery : "");
        return Message(endpoint, method, target, body, request.Headers.Select(h => (h.Key, h.Value)));
    }

    /// <summary>
    /// Amondawa's form, computed here from the contract's words alone: no X-Amz-Content-Sha256, the payload hash of the empty
    /// string, an empty canonical query, and the signed headers host and x-amz-date.
    /// </summary>
    public static HttpRequestMessage Amondawa(Uri baseUri, HttpMethod method, string path, byte[]? body, TestKey key, DateTimeOffset at,
        string? rawQuery = null, string region = Region)
    {
        var host = baseUri.Authority;
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var canonical = $"{method.Method}\n{path}\n\nhost:{host}\nx-amz-date:{amzDate}\n\nhost;x-amz-date\n" +
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        var scope = $"{date}/{region}/amondawa/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signingKey = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + key.Secret), date), region), "amondawa"), "aws4_request");
        var auth = $"AWS4-HMAC-SHA256 Credential={key.Id}/{scope},SignedHeaders=host;x-amz-date,Signature={Hex(Hmac(signingKey, toSign))}";
        var headers = new List<(string, string)> { ("Host", host), ("X-Amz-Date", amzDate), ("Authorization", auth) };
        if (body is not null) headers.Add(("Content-Type", "application/json"));
        return Message(baseUri.GetLeftPart(UriPartial.Authority), method, path + (rawQuery is null ? "" : "?" + rawQuery), body, headers);
    }

    /// <summary>Signed the standard way by Core's <see cref="SigV4Signer"/> at a given time (for the clock-skew checks).</summary>
    public static HttpRequestMessage Core(Uri baseUri, HttpMethod method, string path, byte[]? body, TestKey key, DateTimeOffset at,
        string region = Region)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", baseUri.Authority) };
        var signed = SigV4Signer.Sign(new SigV4Request(method.Method, path, [], headers, SigV4.PayloadHash(body ?? [])), key.Id, key.Secret, region, at);
        return Message(baseUri.GetLeftPart(UriPartial.Authority), method, path, body,
            headers.Concat(signed).Select(h => (h.Key, h.Value)).Append(("Content-Type", "application/json")));
    }

    /// <summary>A request with exactly these headers: Host as given, content headers on the content.</summary>
    public static HttpRequestMessage Message(string authority, HttpMethod method, string target, byte[]? body,
        IEnumerable<(string Name, string Value)> headers)
    {
        var message = new HttpRequestMessage(method, authority + target);
        if (body is not null) message.Content = new ByteArrayContent(body);
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) message.Headers.Host = value;
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            else if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else message.Headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    private sealed class AnyRequest : AmazonWebServiceRequest;
}
