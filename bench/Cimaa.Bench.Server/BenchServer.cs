using System.Net.Http.Headers;
using Cimaa.AccessKeys;
using Cimaa.Server;
using Cimaa.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Cimaa.Bench.Server;

/// <summary>
/// The server in this process on a loopback port, over one store, with one access key; the client signs every request the
/// standard way (the server verifies each). The request log is formatted as usual but not printed.
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    public const string KeyId = "AKIDBENCH00000000001";
    private const string Secret = "benchSecretAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private readonly WebApplication _app;

    private BenchServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(10) };
    }

    public Uri BaseUri { get; }
    public HttpClient Http { get; }

    public static async Task<BenchServer> StartAsync(ConnectionSettings store)
    {
        var key = new AccessKeyRecord(KeyId, Secret, PermissionSet.Parse(["*:rw"]), AccessKeyState.Active);
        var options = new ServerOptions
        {
            Store = store,
            Urls = ["http://127.0.0.1:0"],
            AccessKeySource = _ => new[] { key }.ToAsyncEnumerable(),
        };
        var app = CimaaServer.Build(options, logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(new FormattingSink());
            logging.SetMinimumLevel(LogLevel.Information);
        });
        await app.StartAsync();
        return new BenchServer(app, new Uri(CimaaServer.Addresses(app).Single()));
    }

    /// <summary>A POST of a JSON body, signed with the bench key at the current time.</summary>
    public HttpRequestMessage Post(string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var headers = new List<KeyValuePair<string, string>> { new("Host", BaseUri.Authority) };
        foreach (var (name, value) in SigV4Signer.Sign(new SigV4Request("POST", path, [], headers, SigV4.PayloadHash(body)), KeyId, Secret,
                     ServerOptions.DefaultRegion, DateTimeOffset.UtcNow))
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Formats every message, as a console logger would; prints warnings and errors, drops the rest.</summary>
    private sealed class FormattingSink : ILoggerProvider, ILogger
    {
        public long Lines;
        public ILogger CreateLogger(string categoryName) => this;
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = formatter(state, exception);
            Interlocked.Increment(ref Lines);
            if (logLevel >= LogLevel.Warning) Console.Error.WriteLine($"  server {logLevel}: {line}");
        }
    }
}

public static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>The nearest-rank percentile.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
