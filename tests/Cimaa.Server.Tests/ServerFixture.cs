using Cimaa.AccessKeys;
using Cimaa.Storage;
using Cimaa.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Cimaa.Server.Tests;

/// <summary>
/// A real server on a loopback port (Kestrel on 127.0.0.1:0, in this process) over one store, with the test keys, the
/// anonymous grant <c>open:rw</c>, a 1 MB body limit and 1,000 points per write. Stopped on dispose.
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public const long MaxBodyBytes = 1024 * 1024;
    public const int MaxPoints = 1000;

    private readonly List<AccessKeyRecord> _keys = [.. TestKeys.Stored.Select(k => k.Record)];

    public ConnectionSettings Settings { get; private set; } = null!;
    public WebApplication App { get; private set; } = null!;
    public Uri BaseUri { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public CapturedLog Log { get; } = new();

    /// <summary>The server's clock; the system clock unless a fixture sets its own.</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    protected abstract ConnectionSettings CreateSettings();

    /// <summary>Whether the DynamoDB tables are created before the server starts.</summary>
    protected virtual bool InitializeTables => true;

    protected virtual ServerOptions Configure(ServerOptions options) => options;

    /// <summary>
    /// Whether the server reads its keys from its own store's credentials table (as in production) instead of the test keys
    /// of <see cref="SetKeys"/>.
    /// </summary>
    protected virtual bool StoredKeys => false;

    /// <summary>Replaces the stored keys; the server sees the change at its next reload.</summary>
    public void SetKeys(IEnumerable<AccessKeyRecord> keys)
    {
        lock (_keys)
        {
            _keys.Clear();
            _keys.AddRange(keys);
        }
    }

    public async Task InitializeAsync()
    {
        Settings = CreateSettings();
        if (Settings.Kind == StoreKind.DynamoDB && InitializeTables)
        {
            await using var store = StoreFactory.Open(Settings);
            await foreach (var _ in store.Tables.InitializeAsync(new TableOptions(), OpContext.None)) { }
        }
        var options = Configure(new ServerOptions
        {
            Store = Settings,
            Urls = ["http://127.0.0.1:0"],
            Anonymous = PermissionSet.Parse(["open:rw"]),
            MaxBodyBytes = MaxBodyBytes,
            MaxPoints = MaxPoints,
            Clock = Clock,
            AccessKeySource = StoredKeys ? null : ReadKeys,
        });
        App = CimaaServer.Build(options, logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(Log);
            logging.SetMinimumLevel(LogLevel.Debug);
        });
        await App.StartAsync();
        BaseUri = new Uri(CimaaServer.Addresses(App).Single());
        Http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    private async IAsyncEnumerable<AccessKeyRecord> ReadKeys([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        AccessKeyRecord[] keys;
        lock (_keys) keys = [.. _keys];
        foreach (var k in keys)
        {
            await Task.Yield();
            yield return k;
        }
    }

    /// <summary>The metric names stored in a domain, read through Core directly (not through the server).</summary>
    public async Task<List<string>> StoredNamesAsync(string domain)
    {
        await using var store = StoreFactory.Open(Settings);
        var names = new List<string>();
        await foreach (var n in store.Metrics.GetNamesAsync(domain, OpContext.None)) names.Add(n);
        return names;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        Cleanup();
    }

    protected virtual void Cleanup() { }
}

/// <summary>The server on an SQLite file in a temporary folder.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes the fixture through IAsyncLifetime.DisposeAsync, which calls Cleanup.")]
public class SqliteServer : ServerFixture
{
    private readonly TempDir _dir = new();

    protected override ConnectionSettings CreateSettings() => new() { Kind = StoreKind.Local, Path = _dir.File("cimaa.db") };

    protected override void Cleanup() => _dir.Dispose();
}

/// <summary>The server on dynalite (the shared in-memory instance), with tables of its own prefix.</summary>
public class DynamoServer : ServerFixture
{
    protected override ConnectionSettings CreateSettings() => new()
    {
        Kind = StoreKind.DynamoDB,
        EndpointUrl = DynaliteServer.Shared.Endpoint,
        Region = "us-east-1",
        AccessKeyId = "AKIDDYNALITE",
        SecretAccessKey = "dynalite-secret",
        TablePrefix = "s" + Guid.NewGuid().ToString("N")[..12] + ".",
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
    };

    // DynamoDB's region is us-east-1 here; requests are signed for the server's region, Amondawa's default.
    protected override ServerOptions Configure(ServerOptions options) => options with { Region = ServerOptions.DefaultRegion };
}
