using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cimaa.Server;

/// <summary>
/// One log line per request: method, path (without the query), status, duration and the access key id ("-" when unsigned).
/// Never a header, a signature or a secret.
/// </summary>
public sealed class RequestLog(RequestDelegate next, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Cimaa.Server.Requests");

    public async Task InvokeAsync(HttpContext ctx)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(ctx);
        }
        finally
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var key = ctx.Items.TryGetValue(ApiGate.KeyIdItem, out var k) && k is string s ? s : ApiGate.Anonymous;
            var status = ctx.RequestAborted.IsCancellationRequested && !ctx.Response.HasStarted ? 499 : ctx.Response.StatusCode;
            _logger.Request(ctx.Request.Method, (ctx.Request.PathBase + ctx.Request.Path).ToString(), status, ms, key);
        }
    }
}

/// <summary>
/// Turns failures into <c>{"errors":[..]}</c>: a Core error by its category (400, 503 or 500), anything else 500 with no
/// detail (it is logged). A failure after the response has begun aborts the connection, so that a client never takes a
/// cut-off result for a whole one. Empty 4xx/5xx answers (no route: 404, wrong method: 405) get a body too.
/// </summary>
public sealed class ErrorBodies(RequestDelegate next, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Cimaa.Server");

    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
        }
        catch (Exception e) when (ctx.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away: nothing to answer.
            return;
        }
        catch (Exception e)
        {
            var core = e as CimaaException;
            if (core is null) _logger.RequestFailed(e, ctx.Request.Method, ctx.Request.Path.ToString());
            else _logger.RequestRefused(ctx.Request.Method, ctx.Request.Path.ToString(), core.ErrorId, core.Message);
            if (ctx.Response.HasStarted)
            {
                ctx.Abort();
                return;
            }
            ctx.Response.Clear();
            await ApiResponses.Errors(ctx, core is null ? StatusCodes.Status500InternalServerError : ApiResponses.StatusOf(core),
                core?.Message ?? "internal server error");
            return;
        }
        if (ctx.Response.StatusCode >= 400 && !ctx.Response.HasStarted && ctx.Response.ContentLength is null && ctx.Response.ContentType is null)
        {
            await ApiResponses.Errors(ctx, ctx.Response.StatusCode, ctx.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"no such path: {ctx.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"{ctx.Request.Method} is not allowed on {ctx.Request.Path}",
                _ => ReasonPhrase(ctx.Response.StatusCode),
            });
        }
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p.ToLowerInvariant() : "error " + status;
}
