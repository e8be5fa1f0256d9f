namespace Cimaa.AccessKeys;

/// <summary>
/// One HTTP request to sign or verify. <paramref name="Path"/> is the path as sent (percent-encoded, e.g. built with
/// <see cref="SigV4.EncodePath"/> from the decoded segments); <paramref name="Query"/> holds decoded name/value pairs (send
/// them with <see cref="SigV4Signer.QueryString"/>); <paramref name="PayloadHash"/> is the hex SHA-256 of the body
/// (<see cref="SigV4.PayloadHash"/>, or <see cref="SigV4.EmptyPayloadHash"/> for none).
/// </summary>
public sealed record SigV4Request(string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers, string PayloadHash);

/// <summary>A client's signer: the standard SigV4 form that the server checks, the same as the AWS SDK's AWS4 signer.</summary>
public static class SigV4Signer
{
    /// <summary>
    /// Signs a request at <paramref name="now"/>. Every header given is signed (it must include Host), with X-Amz-Date and
    /// X-Amz-Content-Sha256 added. Returns the headers to add to the request: X-Amz-Date, X-Amz-Content-Sha256 and Authorization.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(SigV4Request request, string accessKeyId, string secretAccessKey,
        string region, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(secretAccessKey);
        ArgumentException.ThrowIfNullOrEmpty(region);
        var amzDate = SigV4.FormatDateTime(now);
        var headers = new List<KeyValuePair<string, string>>(request.Headers.Where(h => !Replaced.Contains(h.Key)))
        {
            new(SigV4.DateHeader, amzDate),
            new(SigV4.ContentSha256Header, request.PayloadHash),
        };
        var canonical = CanonicalHeaders(headers);
        if (!canonical.Any(h => h.Key == "host")) throw new ArgumentException("The request to sign has no Host header.", nameof(request));
        var canonicalRequest = SigV4.CanonicalRequest(request.Method, SigV4.CanonicalUri(request.Path), SigV4.CanonicalQuery(request.Query),
            canonical, request.PayloadHash);
        var date = amzDate[..8];
        var scope = SigV4.Scope(date, region);
        var signature = SigV4.Sign(SigV4.SigningKey(secretAccessKey, date, region), SigV4.StringToSign(amzDate, scope, canonicalRequest));
        var authorization = $"{SigV4.Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={SigV4.SignedHeaderNames(canonical)}, Signature={signature}";
        return
        [
            new("X-Amz-Date", amzDate),
            new("X-Amz-Content-Sha256", request.PayloadHash),
            new("Authorization", authorization),
        ];
    }

    private static readonly HashSet<string> Replaced = new(StringComparer.OrdinalIgnoreCase)
    {
        SigV4.DateHeader, SigV4.ContentSha256Header, "authorization",
    };

    /// <summary>The query string to send (without '?'): the canonical form, so what is sent is what is signed.</summary>
    public static string QueryString(IEnumerable<KeyValuePair<string, string>> query) => SigV4.CanonicalQuery(query);

    /// <summary>Headers as signed: names lower-cased and sorted, repeated names joined with ',', values canonical.</summary>
    public static List<KeyValuePair<string, string>> CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers.GroupBy(h => h.Key.Trim().ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KeyValuePair<string, string>(g.Key, string.Join(',', g.Select(h => SigV4.CanonicalHeaderValue(h.Value)))))
            .ToList();
}
