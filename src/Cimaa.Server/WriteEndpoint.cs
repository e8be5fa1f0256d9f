using Cimaa.Kairos;
using Microsoft.AspNetCore.Http;

namespace Cimaa.Server;

/// <summary>POST datapoints: the whole body is validated by Core's write parser, then written; 204, or 400 and nothing written.</summary>
public sealed class WriteEndpoint(ServerContext server)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        var request = ApiRequest.Of(ctx);
        var parsed = KairosWriteParser.Parse(request.Body.Content, request.Domain, server.Clock.GetUtcNow(), server.Options.WriteLimits);
        if (!parsed.IsValid)
        {
            await ApiResponses.Errors(ctx, StatusCodes.Status400BadRequest, parsed.Errors);
            return;
        }
        // Not cancelled with the request: a write that has begun finishes, even when the client goes away or the server stops.
        await server.Backend.WriteAsync(parsed.Value!, server.Op(CancellationToken.None));
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
