using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Bench.Server;

/// <summary>Fresh stores for the runs: a new SQLite file, or new tables on the one dynalite.</summary>
public sealed class BenchStores(string kind, TempDir dir, Func<DynaliteServer> dynalite)
{
    private int _n;

    public string Kind { get; } = kind;

    public async Task<ConnectionSettings> FreshAsync()
    {
        var n = Interlocked.Increment(ref _n);
        var settings = Kind == "sqlite"
            ? new ConnectionSettings { Kind = StoreKind.Local, Path = dir.File($"bench{n}.db") }
            : new ConnectionSettings
            {
                Kind = StoreKind.DynamoDB, EndpointUrl = dynalite().Endpoint, Region = "us-east-1", AccessKeyId = "AKIDBENCH",
                SecretAccessKey = "bench", TablePrefix = $"bench{n}.",
            };
        await using var store = StoreFactory.Open(settings);
        await foreach (var _ in store.Tables.InitializeAsync(new TableOptions(), OpContext.None)) { }
        return settings;
    }
}
