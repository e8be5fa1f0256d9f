using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cimaa.Server;

/// <summary>Builds the server: Kestrel with its limits, the request log, error bodies, the API gate and the endpoints.</summary>
public static class CimaaServer
{
    /// <summary>
    /// A server ready to start (StartAsync, or RunAsync until SIGINT/SIGTERM). It opens the store now, so a bad store fails
    /// here; <paramref name="configureLogging"/> lets a host add its own log provider (the tests capture the log).
    /// </summary>
    public static WebApplication Build(ServerOptions options, Action<ILoggingBuilder>? configureLogging = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "Cimaa.Server" });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        // Our own request line replaces ASP.NET Core's request logging.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);

        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // The API gate enforces the body limit itself (413 with a JSON body). Kestrel's own limit stays off, so that after
            // the 413 Kestrel drains what the client is still sending (for at most 5 s) instead of resetting the connection,
            // and the client reads the answer.
            k.Limits.MaxRequestBodySize = null;
            k.Limits.KeepAliveTimeout = options.Timeouts.KeepAlive;
            k.Limits.RequestHeadersTimeout = options.Timeouts.RequestHeaders;
            k.Limits.MinRequestBodyDataRate = new MinDataRate(options.Timeouts.MinBodyBytesPerSecond, options.Timeouts.BodyGracePeriod);
        });
        // In-flight requests get this long to finish once SIGINT/SIGTERM arrives.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => ServerBackend.Open(options.Store));
        builder.Services.AddSingleton<ServerContext>();
        builder.Services.AddRouting();

        var app = builder.Build();
        var server = app.Services.GetRequiredService<ServerContext>();
        app.UseMiddleware<RequestLog>();
        app.UseMiddleware<ErrorBodies>();
        app.UseRouting();
        app.UseMiddleware<ApiGate>();
        ApiEndpoints.Map(app, server);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            _ = server.Keys.LoadAsync();
            server.Logger.Started(ServerContext.Version, server.Backend.Description, options.Region, string.Join(", ", Addresses(app)));
        });
        return app;
    }

    /// <summary>The addresses Kestrel listens on (with the real port when the URL asked for port 0).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
