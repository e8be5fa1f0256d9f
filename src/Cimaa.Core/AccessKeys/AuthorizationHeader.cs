namespace Cimaa.AccessKeys;

/// <summary>
/// The parts of <c>AWS4-HMAC-SHA256 Credential=&lt;id&gt;/&lt;date&gt;/&lt;region&gt;/&lt;service&gt;/aws4_request,
/// SignedHeaders=a;b, Signature=&lt;hex&gt;</c>; the parts may be separated by ',' or ', '.
/// </summary>
public sealed record AuthorizationHeader(string KeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders,
    string Signature)
{
    /// <summary>The parsed header, or null when it is not of that shape.</summary>
    public static AuthorizationHeader? Parse(string header)
    {
        if (!header.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal)) return null;
        string? credential = null, signedHeaders = null, signature = null;
        foreach (var raw in header[(SigV4.Algorithm.Length + 1)..].Split(','))
        {
            var part = raw.Trim();
            var eq = part.IndexOf('=');
            if (eq <= 0) return null;
            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential" when credential is null: credential = value; break;
                case "SignedHeaders" when signedHeaders is null: signedHeaders = value; break;
                case "Signature" when signature is null: signature = value; break;
                default: return null;
            }
        }
        if (credential is null || signedHeaders is null || signature is null) return null;
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[0].Length == 0 || scope[4] != SigV4.Terminator) return null;
        if (scope[1].Length != 8 || !scope[1].All(char.IsAsciiDigit) || scope[2].Length == 0 || scope[3].Length == 0) return null;
        var names = signedHeaders.Split(';');
        if (names.Any(n => n.Length == 0 || n.Any(c => char.IsAsciiLetterUpper(c) || char.IsWhiteSpace(c)))) return null;
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) return null;
        if (signature.Length != 64 || !signature.All(char.IsAsciiHexDigit)) return null;
        return new AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], names, signature);
    }
}
