using Cimaa.AccessKeys;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cimaa.Server;

/// <summary>Endpoint metadata: the permission an API endpoint needs on its domain (none for version and health).</summary>
public sealed record ApiAccess(AccessOp? Op);

/// <summary>What the gate hands an endpoint: the domain, the body (decoded) and the caller's key id ("-" when unsigned).</summary>
public sealed record ApiRequest(string Domain, RequestBody Body, string KeyId)
{
    public static ApiRequest Of(HttpContext ctx) =>
        ctx.Features.Get<ApiRequest>() ?? throw new InvalidOperationException("The endpoint ran without the API gate.");
}

/// <summary>
/// Runs before every API endpoint: checks the domain of the path, reads the body within the size limit (hashing it as it
/// arrives), checks the signature and the permission, then undoes gzip within the same limit. Refusals are
/// <c>{"errors":[..]}</c>: 400 bad domain, 413 too large, 401 unsigned or unparsable, 403 refused, 503 keys unavailable.
/// </summary>
public sealed class ApiGate(RequestDelegate next, ServerContext server)
{
    public const string KeyIdItem = "Cimaa.KeyId";
    public const string Anonymous = "-";

    public async Task InvokeAsync(HttpContext ctx)
    {
        var access = ctx.GetEndpoint()?.Metadata.GetMetadata<ApiAccess>();
        if (access is null)
        {
            await next(ctx);
            return;
        }
        var domain = ctx.Request.RouteValues.TryGetValue("domain", out var d) && d is string s ? s : Metrics.MetricValidation.DefaultDomain;
        if (!Permission.IsDomain(domain))
        {
            await ApiResponses.Errors(ctx, StatusCodes.Status400BadRequest,
                $"the domain '{domain}' is not a domain name: 1-64 characters of A-Z, a-z, 0-9, '_', '.', '-'");
            return;
        }
        if (access.Op is not { } op)
        {
            await next(ctx);
            return;
        }

        var (body, bodyError) = await RequestBody.ReadAsync(ctx.Request, server.Options.MaxBodyBytes, ctx.RequestAborted);
        if (bodyError is { } be)
        {
            await ApiResponses.Errors(ctx, be.Status, be.Message);
            return;
        }
        using (body)
        {
            var refusal = await AuthorizeAsync(ctx, body!, domain, op);
            if (refusal is { } r)
            {
                if (r.Status == StatusCodes.Status401Unauthorized) ctx.Response.Headers.WWWAuthenticate = SigV4.Algorithm;
                await ApiResponses.Errors(ctx, r.Status, r.Message);
                return;
            }
            if (body!.Decode(ctx.Request.Headers.ContentEncoding, server.Options.MaxBodyBytes) is { } de)
            {
                await ApiResponses.Errors(ctx, de.Status, de.Message);
                return;
            }
            ctx.Features.Set(new ApiRequest(domain, body, (string)ctx.Items[KeyIdItem]!));
            await next(ctx);
        }
    }

    private async Task<BodyError?> AuthorizeAsync(HttpContext ctx, RequestBody body, string domain, AccessOp op)
    {
        var what = $"{(op == AccessOp.Read ? "read" : "write")} the domain '{domain}'";
        if (!ctx.Request.Headers.ContainsKey("Authorization"))
        {
            ctx.Items[KeyIdItem] = Anonymous;
            return server.Options.Anonymous.Allows(domain, op)
                ? null
                : new BodyError(StatusCodes.Status401Unauthorized,
                    $"The request is not signed, and unsigned requests may not {what}: sign it with an access key (AWS4-HMAC-SHA256).");
        }
        if (!await server.Keys.EnsureFreshAsync(ctx.RequestAborted))
        {
            ctx.Items[KeyIdItem] = Anonymous;
            return new BodyError(StatusCodes.Status503ServiceUnavailable, "The access keys cannot be read from the store; try again later.");
        }
        var outcome = server.Verifier.Verify(Signed(ctx, body));
        switch (outcome)
        {
            case AuthOutcome.Ok ok:
                ctx.Items[KeyIdItem] = ok.KeyId;
                return ok.Permissions.Allows(domain, op) ? null : new BodyError(StatusCodes.Status403Forbidden, $"The access key may not {what}.");
            case AuthOutcome.Forbidden f:
                ctx.Items[KeyIdItem] = f.KeyId ?? Anonymous;
                return new BodyError(f.StatusCode, f.Reason);
            case AuthOutcome.Unauthenticated u:
                ctx.Items[KeyIdItem] = Anonymous;
                return new BodyError(u.StatusCode, u.Reason);
            default:
                throw new InvalidOperationException("Unknown authentication outcome.");
        }
    }

    /// <summary>The request as sent: the raw path and query of the request line, every header line, and the body's hash.</summary>
    private static SignedRequest Signed(HttpContext ctx, RequestBody body)
    {
        var target = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = Uri.TryCreate(target, UriKind.Absolute, out var absolute)
                ? absolute.PathAndQuery
                : (ctx.Request.PathBase + ctx.Request.Path).ToUriComponent() + ctx.Request.QueryString.ToUriComponent();
        }
        var q = target.IndexOf('?');
        var path = q < 0 ? target : target[..q];
        var query = q < 0 ? null : target[(q + 1)..];
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in ctx.Request.Headers)
        {
            foreach (var v in values) headers.Add(new(name, v ?? ""));
        }
        return new SignedRequest(ctx.Request.Method, path, query, headers, body.Sha256);
    }
}
