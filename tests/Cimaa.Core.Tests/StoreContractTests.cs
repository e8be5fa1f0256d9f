using Cimaa.Faults;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>
/// The store contract: one abstract suite per concept (faults and agents, squelches, config, metrics), each run unchanged
/// against SQLite and against dynalite through the same services. The clock is injected, so times and ages are exact.
/// </summary>
public abstract class StoreContractTests<TBackend> : IAsyncLifetime where TBackend : IContractBackend, new()
{
    private readonly TBackend _backend = new();

    protected ManualClock Clock { get; } = new();
    protected RecordingLog Log { get; } = new();
    protected OpContext Op => Log.Context;
    protected CimaaClient Client { get; private set; } = null!;
    protected ConnectionSettings Settings { get; private set; } = null!;

    protected FaultService Faults => Client.Faults;

    /// <summary>Writes a heartbeat row as another tool would, with a time that may be fractional (zc.cimaa writes time.time()).</summary>
    protected Task SeedHeartbeatAsync(string agent, decimal updated) => _backend.SeedHeartbeatAsync(Client, agent, updated);

    protected static IReadOnlyDictionary<string, List<ValidFault>> Input(string agent, params (string Name, object Severity, string Message)[] faults) =>
        FaultValidation.Validate([agent], faults.Select(f => new FaultInput(agent, f.Name, f.Severity, f.Message, false)), null);

    /// <summary>Replaces the agent's faults (none: clears them) and writes its heartbeat.</summary>
    protected Task SetAsync(string agent, params (string, object, string)[] faults) => Faults.SetAsync(Input(agent, faults), null, Op);

    public async Task InitializeAsync()
    {
        Settings = _backend.CreateSettings(Clock);
        Client = await TestStores.OpenInitialized(Settings);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        _backend.Dispose();
    }
}

/// <summary>What differs between the backends the contract runs on: where the store lives, and how another tool writes a row.</summary>
public interface IContractBackend : IDisposable
{
    ConnectionSettings CreateSettings(TimeProvider clock);

    Task SeedHeartbeatAsync(CimaaClient client, string agent, decimal updated);
}

public sealed class SqliteBackend : IContractBackend
{
    private readonly TempDir _dir = new();

    public ConnectionSettings CreateSettings(TimeProvider clock) => TestStores.Sqlite(_dir, clock);

    public async Task SeedHeartbeatAsync(CimaaClient client, string agent, decimal updated)
    {
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={client.Settings.Path};Pooling=False");
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "INSERT OR REPLACE INTO heartbeats (agent, updated) VALUES ($a, $u)";
        cmd.Parameters.AddWithValue("$a", agent);
        cmd.Parameters.AddWithValue("$u", decimal.Truncate(updated) == updated ? (object)(long)updated : (double)updated);
        await cmd.ExecuteNonQueryAsync();
    }

    public void Dispose() => _dir.Dispose();
}

public sealed class DynamoBackend : IContractBackend
{
    public ConnectionSettings CreateSettings(TimeProvider clock) => TestStores.Dynamo(clock);

    public Task SeedHeartbeatAsync(CimaaClient client, string agent, decimal updated) =>
        TestStores.Sdk(client).PutItemAsync(client.Settings.FaultsTable, new()
        {
            ["agent"] = new() { S = "_" },
            ["name"] = new() { S = agent },
            ["updated"] = new() { N = updated.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });

    public void Dispose() { }
}
