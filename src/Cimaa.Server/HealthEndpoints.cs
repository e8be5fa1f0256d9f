using System.Text.Json;
using Cimaa.Kairos;
using Microsoft.AspNetCore.Http;

namespace Cimaa.Server;

/// <summary>version, health/check (204 when the store answers, else 503) and health/status (KairosDB's list of checks).</summary>
public sealed class HealthEndpoints(ServerContext server)
{
    /// <summary>How long the store may take to answer the health check.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);

    private const string DatastoreCheck = "Datastore-Query";

    public static Task VersionAsync(HttpContext ctx) => ApiResponses.Write(ctx, StatusCodes.Status200OK, KairosJson.Version(ServerContext.Version));

    public async Task CheckAsync(HttpContext ctx)
    {
        var error = await ProbeAsync(ctx.RequestAborted);
        if (error is null) ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        else await ApiResponses.Errors(ctx, StatusCodes.Status503ServiceUnavailable, $"{DatastoreCheck}: the store does not answer");
    }

    public async Task StatusAsync(HttpContext ctx)
    {
        var error = await ProbeAsync(ctx.RequestAborted);
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = KairosJson.Encoder }))
        {
            json.WriteStartArray();
            json.WriteStringValue($"{DatastoreCheck}: {(error is null ? "OK" : "FAIL")}");
            json.WriteEndArray();
        }
        await ApiResponses.Write(ctx, StatusCodes.Status200OK, buffer.ToArray());
    }

    /// <summary>Null when the store answered; otherwise the failure, which is logged (the answer only says that it failed).</summary>
    private async Task<Exception?> ProbeAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await server.Backend.CheckAsync(server.Op(timeout.Token));
            return null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            server.Logger.HealthCheckFailed(e.Message);
            return e;
        }
    }
}
