using System.Collections.Concurrent;
using Cimaa.Storage;
using Cimaa.Storage.DynamoDb;
using Cimaa.Storage.Sqlite;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>A clock that moves only when told to.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualClock() : this(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now;
}

/// <summary>Collects what Core reports.</summary>
public sealed class RecordingLog : IOperationLog
{
    public ConcurrentQueue<string> Warnings { get; } = new();
    public ConcurrentQueue<string> Verbose { get; } = new();
    public ConcurrentQueue<string> Debugs { get; } = new();
    public ConcurrentQueue<ProgressReport> Progresses { get; } = new();

    public void Warning(string message) => Warnings.Enqueue(message);
    void IOperationLog.Verbose(string message) => Verbose.Enqueue(message);
    public void Debug(string message) => Debugs.Enqueue(message);
    public void Progress(ProgressReport report) => Progresses.Enqueue(report);

    public OpContext Context => new(this, CancellationToken.None);
}

/// <summary>Creates stores for tests: SQLite on a temporary file, DynamoDB on the shared dynalite with a unique prefix.</summary>
public static class TestStores
{
    public static ConnectionSettings Sqlite(TempDir dir, TimeProvider? clock = null) => new()
    {
        Kind = StoreKind.Local,
        Path = dir.File("cimaa.db"),
        Clock = clock ?? TimeProvider.System,
    };

    public static ConnectionSettings Dynamo(TimeProvider? clock = null, object? httpFactory = null, int reads = 5, int writes = 3) => new()
    {
        Kind = StoreKind.DynamoDB,
        EndpointUrl = DynaliteServer.Shared.Endpoint,
        Region = "us-east-1",
        AccessKeyId = "AKIDTEST",
        SecretAccessKey = "test-secret",
        TablePrefix = "t" + Guid.NewGuid().ToString("N")[..12] + ".",
        Clock = clock ?? TimeProvider.System,
        HttpClientFactory = httpFactory,
        MaxReadAttempts = reads,
        MaxWriteAttempts = writes,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
    };

    public static async Task<ICimaaStore> OpenInitialized(ConnectionSettings settings)
    {
        var store = StoreFactory.Open(settings);
        await foreach (var _ in store.InitializeAsync(new TableOptions(), OpContext.None)) { }
        store.Requests.Reset();
        return store;
    }

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source) list.Add(item);
        return list;
    }
}
