using System.Security.Cryptography;
using System.Text;
using Cimaa.AccessKeys;
using Microsoft.AspNetCore.Http;

namespace Cimaa.Server;

/// <summary>
/// Who may see the status page: it needs <c>status:r</c>, from the anonymous grants when the request has no Authorization
/// header, or from an access key given as HTTP Basic (the id as user, the secret as password), checked against the same key
/// cache as signatures. The secrets are compared as SHA-256 digests in constant time, so neither their content nor their
/// length shows in the time taken.
/// </summary>
public static class StatusAccess
{
    public const string Challenge = "Basic realm=\"Cimaa\", charset=\"UTF-8\"";
    public static readonly Permission Needed = new("status", AccessOp.Read);

    /// <summary>The refusal of a request (status, message), or null with the caller's permissions.</summary>
    public sealed record Outcome(PermissionSet? Permissions, int Status = StatusCodes.Status200OK, string? Refusal = null);

    public static async Task<Outcome> AuthorizeAsync(HttpContext ctx, ServerContext server)
    {
        ctx.Items[ApiGate.KeyIdItem] = ApiGate.Anonymous;
        var header = ctx.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return server.Options.Anonymous.Allows(Needed.Domain, Needed.Op)
                ? new Outcome(server.Options.Anonymous)
                : Unauthorized("The status page needs status:r: sign in with an access key id as user and its secret as password.");
        }
        if (!TryParseBasic(header, out var id, out var secret))
            return Unauthorized("The status page takes HTTP Basic credentials: an access key id as user and its secret as password.");
        if (!await server.Keys.EnsureFreshAsync(ctx.RequestAborted))
            return new Outcome(null, StatusCodes.Status503ServiceUnavailable, "The access keys cannot be read from the store; try again later.");
        var key = server.Keys.Lookup(id);
        if (!SecretMatches(secret, key?.SecretAccessKey)) return Unauthorized("The access key id or secret is wrong.");
        ctx.Items[ApiGate.KeyIdItem] = id;
        if (!key!.IsActive) return new Outcome(null, StatusCodes.Status403Forbidden, "The access key is inactive.");
        return key.Permissions.Allows(Needed.Domain, Needed.Op)
            ? new Outcome(key.Permissions)
            : new Outcome(null, StatusCodes.Status403Forbidden, "The access key may not read the status page (status:r).");
    }

    /// <summary>Reads <c>Basic base64(id:secret)</c> (scheme in any case); false for anything else.</summary>
    public static bool TryParseBasic(string header, out string id, out string secret)
    {
        id = secret = "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0) return false;
        id = decoded[..colon];
        secret = decoded[(colon + 1)..];
        return true;
    }

    /// <summary>Constant time over the digests; a missing key is compared against a digest no secret has.</summary>
    private static bool SecretMatches(string given, string? stored)
    {
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(given), a);
        if (stored is null) b.Clear();
        else SHA256.HashData(Encoding.UTF8.GetBytes(stored), b);
        return CryptographicOperations.FixedTimeEquals(a, b) && stored is not null;
    }

    private static Outcome Unauthorized(string message) => new(null, StatusCodes.Status401Unauthorized, message);
}
