using Cimaa.Agents;
using Cimaa.Config;
using Cimaa.Deploy;
using Cimaa.Export;
using Cimaa.Faults;
using Cimaa.Meta;
using Cimaa.Metrics;
using Cimaa.Squelches;
using Cimaa.Storage;

namespace Cimaa;

/// <summary>
/// One per connection, built by <see cref="StoreFactory.Open"/>: the services over the stores of one backend, the clock, and
/// every cache of the connection (config values, written metric index entries, completion values). The cmdlets, and any
/// other host, call the services: <c>client.Faults.SetAsync(...)</c>.
/// </summary>
public sealed class CimaaClient : IAsyncDisposable
{
    public CimaaClient(StoreBackend stores)
    {
        Stores = stores;
        var settings = stores.Settings;
        Clock = settings.Clock;
        Squelches = new SquelchService(stores.Squelches, Clock);
        Faults = new FaultService(stores.Faults, Squelches, Clock);
        Agents = new AgentService(stores.Faults, Clock);
        Config = new ConfigService(stores.Config, Clock, settings.ConfigStoreKey, settings.ConfigOptionKey);
        Metrics = new MetricService(stores.Metrics, Clock, settings.MetricRetention);
        Deploy = new ConfigClusterVersionSource(Config);
        Meta = new MetaCheck(Agents, Squelches, Clock);
        Export = new ExportService(stores, Clock);
        Import = new ImportService(stores, Config, Metrics);
        Cache = new ExpiringCache(Clock);
    }

    public ConnectionSettings Settings => Stores.Settings;

    /// <summary>The clock every rule of this connection reads (settings' Clock: the system clock, or a test's).</summary>
    public TimeProvider Clock { get; }

    public StoreKind Kind => Stores.Kind;

    /// <summary>Requests sent to the backend, by operation (every attempt counts; on SQLite, statements).</summary>
    public RequestCounter Requests => Stores.Requests;

    /// <summary>The stores of each concept, for services added later.</summary>
    public StoreBackend Stores { get; }

    public FaultService Faults { get; }

    public AgentService Agents { get; }

    public SquelchService Squelches { get; }

    public ConfigService Config { get; }

    public MetricService Metrics { get; }

    /// <summary>What Test-CimaaDeployStatus reads from the store: the cluster version, from the configuration store.</summary>
    public ConfigClusterVersionSource Deploy { get; }

    public MetaCheck Meta { get; }

    /// <summary>Export-CimaaDatabase: every selected table to a JSON Lines file.</summary>
    public ExportService Export { get; }

    /// <summary>Import-CimaaDatabase: a whole export file checked, then written in batches.</summary>
    public ImportService Import { get; }

    /// <summary>Initialize-CimaaTable.</summary>
    public ITableStore Tables => Stores.Tables;

    /// <summary>Values a host keeps for this connection, timed by <see cref="Clock"/> (tab completion).</summary>
    public ExpiringCache Cache { get; }

    public ValueTask DisposeAsync() => Stores.DisposeAsync();
}
