using System.Collections.Concurrent;
using Cimaa.Storage;
using Cimaa.Storage.DynamoDb;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

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

/// <summary>
/// Creates clients for tests: SQLite on a temporary file, DynamoDB on the shared dynalite with a unique prefix. This is the one
/// builder of DynamoDB test settings; tests that need other values change its result with <c>with</c>.
/// </summary>
public static class TestStores
{
    public static ConnectionSettings Sqlite(TempDir dir, TimeProvider? clock = null) => new()
    {
        Kind = StoreKind.Local,
        Path = dir.File("cimaa.db"),
        Clock = clock ?? TimeProvider.System,
    };

    /// <summary>DynamoDB on the shared dynalite with dummy credentials, a fresh table prefix, and retry and poll delays of milliseconds.</summary>
    public static ConnectionSettings Dynamo(TimeProvider? clock = null, object? httpFactory = null, int reads = 5, int writes = 3) => new()
    {
        Kind = StoreKind.DynamoDB,
        EndpointUrl = DynaliteServer.Shared.Endpoint,
        Region = "us-east-1",
        AccessKeyId = "AKIDTEST",
        SecretAccessKey = "test-secret",
        TablePrefix = NewPrefix(),
        Clock = clock ?? TimeProvider.System,
        HttpClientFactory = httpFactory,
        MaxReadAttempts = reads,
        MaxWriteAttempts = writes,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        TablePollInterval = TimeSpan.FromMilliseconds(10),
    };

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12] + ".";

    /// <summary>A client whose tables exist, with its request counters reset.</summary>
    public static async Task<CimaaClient> OpenInitialized(ConnectionSettings settings)
    {
        var client = StoreFactory.Open(settings);
        await foreach (var _ in client.Tables.InitializeAsync(new TableOptions(), OpContext.None)) { }
        client.Requests.Reset();
        return client;
    }

    /// <summary>The SDK client under a DynamoDB client, for writing items as other tools do and for checking what was stored.</summary>
    internal static Amazon.DynamoDBv2.AmazonDynamoDBClient Sdk(CimaaClient client) => ((DynamoTableClient)client.Stores.Connection).Sdk;

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source) list.Add(item);
        return list;
    }
}
