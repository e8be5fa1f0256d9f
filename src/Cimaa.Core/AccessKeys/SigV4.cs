using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cimaa.AccessKeys;

/// <summary>
/// The pieces of AWS Signature Version 4 (AWS4-HMAC-SHA256) for the service <c>amondawa</c>: encodings, the canonical request,
/// the string to sign and the signing key. Shared by <see cref="SigV4Signer"/> and <see cref="SigV4Verifier"/>.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Service = "amondawa";
    public const string Terminator = "aws4_request";
    public const string DefaultRegion = "us-west-2";
    public const string DateHeader = "x-amz-date";
    public const string ContentSha256Header = "x-amz-content-sha256";
    public const string DateFormat = "yyyyMMdd";
    public const string DateTimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The hex SHA-256 of an empty body.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

    /// <summary>Characters the AWS SDK for .NET leaves as they are in a path, besides the unreserved ones.</summary>
    private const string PathSafe = "/!$&'()*+,;=";

    /// <summary>RFC 3986 encoding of a query name or value: unreserved characters kept, every other UTF-8 byte as %XX.</summary>
    public static string UriEncode(string value) => Encode(value, "");

    /// <summary>
    /// Encodes a path as the AWS SDK for .NET does for a service other than S3: unreserved characters and <c>/!$&amp;'()*+,;=</c>
    /// are kept, every other byte becomes %XX. The SDK sends a path encoded this way and signs it encoded a second time, so
    /// the canonical URI of a request is <c>EncodePath(the path as sent)</c>.
    /// </summary>
    public static string EncodePath(string path) => Encode(path, PathSafe);

    /// <summary>The canonical URI of the standard form: the path as sent (still percent-encoded), encoded once more.</summary>
    public static string CanonicalUri(string rawPath) => rawPath.Length == 0 ? "/" : EncodePath(rawPath);

    /// <summary>
    /// The canonical URI of Amondawa's form, as its boto 2 client computed it: the decoded path, encoded with only
    /// letters, digits, <c>_.-</c> and <c>/</c> kept.
    /// </summary>
    public static string AmondawaCanonicalUri(string rawPath) =>
        rawPath.Length == 0 ? "/" : Encode(Uri.UnescapeDataString(rawPath), "/", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>Query parameters (decoded) as the canonical query string: each name and value encoded, sorted by name then value.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .Select(p => (Name: UriEncode(p.Key), Value: UriEncode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    /// <summary>
    /// Splits a raw query string (with or without the leading '?') into decoded parameters: '&amp;' separates them, the first '='
    /// separates name and value, %XX is decoded and '+' stays a plus. Null when a %-escape is malformed.
    /// </summary>
    public static List<KeyValuePair<string, string>>? ParseQuery(string? rawQuery)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(rawQuery)) return list;
        var q = rawQuery[0] == '?' ? rawQuery[1..] : rawQuery;
        foreach (var part in q.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var name = Decode(eq < 0 ? part : part[..eq]);
            var value = Decode(eq < 0 ? "" : part[(eq + 1)..]);
            if (name is null || value is null) return null;
            list.Add(new(name, value));
        }
        return list;
    }

    /// <summary>A header value as signed: trimmed, each run of spaces collapsed to one.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal)) return trimmed;
        var sb = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c == ' ' && sb.Length > 0 && sb[^1] == ' ') continue;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The canonical request. <paramref name="headers"/> are the signed headers: lower-case names, sorted ordinally, values
    /// already canonical (<see cref="CanonicalHeaderValue"/>).
    /// </summary>
    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers, string payloadHash)
    {
        var sb = new StringBuilder(256);
        sb.Append(method).Append('\n').Append(canonicalUri).Append('\n').Append(canonicalQuery).Append('\n');
        foreach (var (name, value) in headers) sb.Append(name).Append(':').Append(value).Append('\n');
        sb.Append('\n').Append(SignedHeaderNames(headers)).Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    public static string SignedHeaderNames(IReadOnlyList<KeyValuePair<string, string>> headers) =>
        string.Join(';', headers.Select(h => h.Key));

    /// <summary><c>yyyyMMdd/region/amondawa/aws4_request</c>.</summary>
    public static string Scope(string date, string region, string service = Service) => $"{date}/{region}/{service}/{Terminator}";

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>HMAC-SHA256 chain: <c>AWS4</c> + secret, then the date, the region, the service and <c>aws4_request</c>.</summary>
    public static byte[] SigningKey(string secret, string date, string region, string service = Service)
    {
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        try
        {
            var kDate = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(date));
            var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
            var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
            return HMACSHA256.HashData(kService, Encoding.UTF8.GetBytes(Terminator));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The hex signature of a string to sign.</summary>
    public static string Sign(byte[] signingKey, string stringToSign) =>
        Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The lower-case hex SHA-256 of a body.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    public static string FormatDateTime(DateTimeOffset time) => time.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static string Encode(string value, string extraSafe, string unreserved = Unreserved)
    {
        var sb = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 128 && (unreserved.Contains(c) || extraSafe.Contains(c)))
            {
                sb.Append(c);
                continue;
            }
            var len = char.IsHighSurrogate(c) && i + 1 < value.Length
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            for (var b = 0; b < len; b++) sb.Append('%').Append(utf8[b].ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string? Decode(string s)
    {
        if (!s.Contains('%')) return s;
        // '%' and hex digits are ASCII, so the escapes can be decoded on the UTF-8 bytes.
        var input = Encoding.UTF8.GetBytes(s);
        var output = new byte[input.Length];
        var n = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != (byte)'%')
            {
                output[n++] = input[i];
                continue;
            }
            if (i + 2 >= input.Length || !byte.TryParse(input.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                return null;
            output[n++] = b;
            i += 2;
        }
        return Encoding.UTF8.GetString(output, 0, n);
    }
}
