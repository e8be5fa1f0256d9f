using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cimaa.AccessKeys;

/// <summary>
/// A request as the server received it. <paramref name="RawPath"/> and <paramref name="RawQuery"/> are as sent (still
/// percent-encoded; the query with or without '?'); <paramref name="Headers"/> holds every header line (a repeated name
/// once per value); <paramref name="BodySha256"/> is the hex SHA-256 of the body bytes as received (before any
/// Content-Encoding is undone), as the client hashed them.
/// </summary>
public sealed record SignedRequest(string Method, string RawPath, string? RawQuery, IReadOnlyList<KeyValuePair<string, string>> Headers,
    string BodySha256);

/// <summary>
/// Checks the signature of a request against the server's contract (server.md, "Request signing"): AWS4-HMAC-SHA256 for the
/// service <c>amondawa</c> and the server's region, X-Amz-Date within 15 minutes of the clock, in one of two forms:
/// <list type="bullet">
/// <item>standard SigV4, when X-Amz-Content-Sha256 is present: it must equal the body's hash and is the payload hash; the
/// query is signed; the headers are those listed in SignedHeaders, which must include host;</item>
/// <item>Amondawa's form otherwise: the payload hash of the empty string, an empty canonical query (the query string is not
/// signed), and the signed headers host and every x-amz-* header of the request.</item>
/// </list>
/// </summary>
public sealed class SigV4Verifier(string region, AccessKeyLookup lookup, TimeProvider clock)
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    public string Region { get; } = string.IsNullOrEmpty(region) ? throw new ArgumentException("A region is required.", nameof(region)) : region;

    public AuthOutcome Verify(SignedRequest request)
    {
        var auth = Header(request, "authorization", out var authCount);
        if (auth is null) return new AuthOutcome.Unauthenticated("The request is not signed: it has no Authorization header.");
        if (authCount > 1) return new AuthOutcome.Unauthenticated("The request has more than one Authorization header.");
        if (AuthorizationHeader.Parse(auth) is not { } parsed)
            return new AuthOutcome.Unauthenticated(
                $"The Authorization header is not '{SigV4.Algorithm} Credential=<key id>/<yyyyMMdd>/<region>/{SigV4.Service}/{SigV4.Terminator}, SignedHeaders=<names>, Signature=<64 hex digits>'.");
        var keyId = AccessKeyGenerator.IsValidId(parsed.KeyId) ? parsed.KeyId : null;

        var amzDate = Header(request, SigV4.DateHeader, out var dateCount);
        if (amzDate is null) return new AuthOutcome.Unauthenticated("The request has no X-Amz-Date header.");
        if (dateCount > 1 || !DateTimeOffset.TryParseExact(amzDate, SigV4.DateTimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            return new AuthOutcome.Unauthenticated("The X-Amz-Date header is not a time of the form yyyyMMddTHHmmssZ.");
        if ((clock.GetUtcNow() - signedAt).Duration() > MaxSkew)
            return new AuthOutcome.Forbidden("The request time (X-Amz-Date) is more than 15 minutes away from the server's clock.", keyId);
        if (parsed.Date != amzDate[..8])
            return new AuthOutcome.Forbidden("The date of the credential scope is not the date of X-Amz-Date.", keyId);
        if (parsed.Region != Region)
            return new AuthOutcome.Forbidden($"The region of the credential scope is not the server's region '{Region}'.", keyId);
        if (parsed.Service != SigV4.Service)
            return new AuthOutcome.Forbidden($"The service of the credential scope is not '{SigV4.Service}'.", keyId);

        var key = lookup(parsed.KeyId);
        if (key is null) return new AuthOutcome.Forbidden("The access key is not known.", keyId);
        if (!key.IsActive) return new AuthOutcome.Forbidden("The access key is inactive.", keyId);

        var contentHash = Header(request, SigV4.ContentSha256Header, out var hashCount);
        string canonicalRequest;
        if (contentHash is not null)
        {
            if (hashCount > 1 || !SameHex(contentHash, request.BodySha256))
                return new AuthOutcome.Forbidden("X-Amz-Content-Sha256 is not the SHA-256 of the body.", keyId);
            if (!parsed.SignedHeaders.Contains("host"))
                return new AuthOutcome.Unauthenticated("SignedHeaders does not include host.");
            var signed = new List<KeyValuePair<string, string>>(parsed.SignedHeaders.Count);
            foreach (var name in parsed.SignedHeaders)
            {
                var value = Header(request, name, out _);
                if (value is null) return new AuthOutcome.Unauthenticated($"The signed header '{name}' is not in the request.");
                signed.Add(new(name, value));
            }
            var query = SigV4.ParseQuery(request.RawQuery);
            if (query is null) return new AuthOutcome.Unauthenticated("The query string has a malformed %-escape.");
            canonicalRequest = SigV4.CanonicalRequest(request.Method, SigV4.CanonicalUri(request.RawPath), SigV4.CanonicalQuery(query),
                signed, contentHash);
        }
        else
        {
            var signed = SigV4Signer.CanonicalHeaders(request.Headers.Where(h => IsAmondawaSigned(h.Key)));
            if (!signed.Any(h => h.Key == "host")) return new AuthOutcome.Unauthenticated("The request has no Host header.");
            canonicalRequest = SigV4.CanonicalRequest(request.Method, SigV4.AmondawaCanonicalUri(request.RawPath), "", signed,
                SigV4.EmptyPayloadHash);
        }

        var scope = SigV4.Scope(parsed.Date, Region);
        var expected = SigV4.Sign(SigV4.SigningKey(key.SecretAccessKey, parsed.Date, Region), SigV4.StringToSign(amzDate, scope, canonicalRequest));
        return SameHex(parsed.Signature, expected)
            ? new AuthOutcome.Ok(key.AccessKeyId, key.Permissions)
            : new AuthOutcome.Forbidden("The signature does not match.", keyId);
    }

    private static bool IsAmondawaSigned(string name) =>
        name.Equals("host", StringComparison.OrdinalIgnoreCase) || name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The values of a header (case-insensitive name), canonical and joined with ','; null when absent.</summary>
    private static string? Header(SignedRequest request, string name, out int count)
    {
        count = 0;
        StringBuilder? sb = null;
        string? single = null;
        foreach (var (key, value) in request.Headers)
        {
            if (!key.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            var v = SigV4.CanonicalHeaderValue(value);
            if (count++ == 0)
            {
                single = v;
                continue;
            }
            sb ??= new StringBuilder(single);
            sb.Append(',').Append(v);
        }
        return sb?.ToString() ?? single;
    }

    /// <summary>Compares two hex strings in constant time (for strings of equal length), ignoring case.</summary>
    private static bool SameHex(string given, string expected)
    {
        var a = Encoding.ASCII.GetBytes(given.ToLowerInvariant());
        var b = Encoding.ASCII.GetBytes(expected.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
