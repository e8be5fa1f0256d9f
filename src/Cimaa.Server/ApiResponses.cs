using Cimaa.Kairos;
using Microsoft.AspNetCore.Http;

namespace Cimaa.Server;

/// <summary>The small answers: <c>{"errors":[..]}</c> and the other fixed bodies, as application/json.</summary>
public static class ApiResponses
{
    public const string Json = "application/json; charset=utf-8";

    public static Task Errors(HttpContext ctx, int status, params IEnumerable<string> errors) => Write(ctx, status, KairosJson.Errors(errors));

    public static Task Write(HttpContext ctx, int status, byte[] body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = Json;
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).AsTask();
    }

    /// <summary>The status of a Core error: bad input 400, a store that cannot answer 503, anything else 500.</summary>
    public static int StatusOf(CimaaException e) => e.Category switch
    {
        CimaaErrorCategory.InvalidArgument or CimaaErrorCategory.InvalidData => StatusCodes.Status400BadRequest,
        CimaaErrorCategory.ResourceUnavailable or CimaaErrorCategory.ConnectionError or CimaaErrorCategory.LimitsExceeded
            or CimaaErrorCategory.OperationTimeout or CimaaErrorCategory.ObjectNotFound => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
