using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>
/// The store contract: one abstract suite, split by concept into partial files (StoreContractTests.*.cs), run unchanged
/// against SQLite and against dynalite. The clock is injected, so times and ages are exact.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected ManualClock Clock { get; } = new();
    protected RecordingLog Log { get; } = new();
    protected OpContext Op => Log.Context;
    protected ICimaaStore Store { get; private set; } = null!;
    protected ConnectionSettings Settings { get; private set; } = null!;

    protected abstract ConnectionSettings CreateSettings(TimeProvider clock);

    public async Task InitializeAsync()
    {
        Settings = CreateSettings(Clock);
        Store = await TestStores.OpenInitialized(Settings);
    }

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();
}

public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly TempDir _dir = new();

    protected override ConnectionSettings CreateSettings(TimeProvider clock) => TestStores.Sqlite(_dir, clock);

    public void Dispose() => _dir.Dispose();
}

public sealed class DynamoStoreContractTests : StoreContractTests
{
    protected override ConnectionSettings CreateSettings(TimeProvider clock) => TestStores.Dynamo(clock);
}
