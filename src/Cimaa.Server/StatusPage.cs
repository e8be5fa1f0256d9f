using Cimaa.AccessKeys;
using Cimaa.Metrics;
using Cimaa.Report;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Cimaa.Server;

/// <summary>
/// <c>GET /</c> (and HEAD): the status page from Core's renderer, for callers with <c>status:r</c> (<see cref="StatusAccess"/>).
/// Read-only: any other method is 405. The page's own metrics (<c>?metric=</c>) also need <c>default:r</c>; the
/// --dashboard-metric list is the operator's choice and shown to every reader.
/// </summary>
public sealed class StatusPage(ServerContext server)
{
    private readonly IReadOnlyList<ReportMetric> _dashboard = [.. server.Options.DashboardMetrics.Select(ReportMetric.Parse)];

    public async Task HandleAsync(HttpContext ctx)
    {
        var response = ctx.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        var head = HttpMethods.IsHead(ctx.Request.Method);
        if (!head && !HttpMethods.IsGet(ctx.Request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await ApiResponses.Errors(ctx, StatusCodes.Status405MethodNotAllowed, $"{ctx.Request.Method} is not allowed on /: the status page is read-only (GET).");
            return;
        }
        var access = await StatusAccess.AuthorizeAsync(ctx, server);
        if (access.Permissions is not { } permissions)
        {
            if (access.Status == StatusCodes.Status401Unauthorized) response.Headers.WWWAuthenticate = StatusAccess.Challenge;
            await ApiResponses.Errors(ctx, access.Status, access.Refusal!);
            return;
        }
        var pairs = Pairs(ctx.Request.QueryString.Value);
        var request = ReportRequest.FromQuery(pairs, _dashboard);
        if (pairs.Any(p => p.Key == "metric") && !permissions.Allows(MetricValidation.DefaultDomain, AccessOp.Read))
        {
            await ApiResponses.Errors(ctx, StatusCodes.Status403Forbidden,
                $"?metric= reads the domain '{MetricValidation.DefaultDomain}', which needs {MetricValidation.DefaultDomain}:r.");
            return;
        }
        using var page = await server.Backend.RenderReportAsync(request, server.Op(ctx.RequestAborted));
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = ReportAssets.ContentSecurityPolicy;
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.ContentLength = page.Length;
        if (head) return;
        page.Position = 0;
        await page.CopyToAsync(response.Body, ctx.RequestAborted);
    }

    /// <summary>The query's parameters in the order given (tags= belongs to the metric= before it).</summary>
    private static List<KeyValuePair<string, string>> Pairs(string? query)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var pair in new QueryStringEnumerable(query))
            list.Add(new(pair.DecodeName().ToString(), pair.DecodeValue().ToString()));
        return list;
    }
}
