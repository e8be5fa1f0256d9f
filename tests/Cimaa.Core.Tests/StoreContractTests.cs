using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>
/// The store contract: one abstract suite, split by concept into files (StoreContractTests.*.cs), run unchanged
/// against SQLite and against dynalite. The clock is injected, so times and ages are exact.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected ManualClock Clock { get; } = new();
    protected RecordingLog Log { get; } = new();
    protected OpContext Op => Log.Context;
    protected CimaaClient Client { get; private set; } = null!;
    protected ConnectionSettings Settings { get; private set; } = null!;

    protected abstract ConnectionSettings CreateSettings(TimeProvider clock);

    /// <summary>Writes a heartbeat row as another tool would, with a time that may be fractional (zc.cimaa writes time.time()).</summary>
    protected abstract Task SeedHeartbeatAsync(string agent, decimal updated);

    public async Task InitializeAsync()
    {
        Settings = CreateSettings(Clock);
        Client = await TestStores.OpenInitialized(Settings);
    }

    public virtual async Task DisposeAsync() => await Client.DisposeAsync();
}

public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly TempDir _dir = new();

    protected override ConnectionSettings CreateSettings(TimeProvider clock) => TestStores.Sqlite(_dir, clock);

    protected override async Task SeedHeartbeatAsync(string agent, decimal updated)
    {
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Settings.Path};Pooling=False");
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "INSERT OR REPLACE INTO heartbeats (agent, updated) VALUES ($a, $u)";
        cmd.Parameters.AddWithValue("$a", agent);
        cmd.Parameters.AddWithValue("$u", decimal.Truncate(updated) == updated ? (object)(long)updated : (double)updated);
        await cmd.ExecuteNonQueryAsync();
    }

    public void Dispose() => _dir.Dispose();
}

public sealed class DynamoStoreContractTests : StoreContractTests
{
    protected override ConnectionSettings CreateSettings(TimeProvider clock) => TestStores.Dynamo(clock);

    protected override Task SeedHeartbeatAsync(string agent, decimal updated) =>
        TestStores.Sdk(Client).PutItemAsync(Settings.FaultsTable, new()
        {
            ["agent"] = new() { S = "_" },
            ["name"] = new() { S = agent },
            ["updated"] = new() { N = updated.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
}
