using Cimaa.AccessKeys;
using Cimaa.Agents;
using Cimaa.Config;
using Cimaa.Deploy;
using Cimaa.Export;
using Cimaa.Faults;
using Cimaa.Meta;
using Cimaa.Metrics;
using Cimaa.Report;
using Cimaa.Squelches;
using Cimaa.Storage;
using Cimaa.Storage.Http;

namespace Cimaa;

/// <summary>
/// One per connection, built by <see cref="StoreFactory.Open"/>: the services over the stores of one backend, the clock, and
/// every cache of the connection (config values, written metric index entries, completion values). The cmdlets, and any
/// other host, call the services: <c>client.Faults.SetAsync(...)</c>.
/// </summary>
/// <remarks>
/// A Server connection's client has the metrics only, through the metrics server: every other service (and
/// <see cref="Stores"/>) throws NotSupportedByConnection.
/// </remarks>
public sealed class CimaaClient : IAsyncDisposable
{
    private readonly StoreServices? _services;
    private readonly ServerMetricClient? _server;

    public CimaaClient(StoreBackend stores)
    {
        Settings = stores.Settings;
        Clock = Settings.Clock;
        Requests = stores.Requests;
        var metrics = new MetricService(stores.Metrics, Clock, Settings.MetricRetention);
        Metrics = metrics;
        _services = new StoreServices(stores, Clock, metrics);
        Cache = new ExpiringCache(Clock);
    }

    /// <summary>The client of a Server connection: the metrics through <paramref name="server"/>, and nothing else.</summary>
    public CimaaClient(ConnectionSettings settings, ServerMetricClient server)
    {
        Settings = settings;
        Clock = settings.Clock;
        Requests = server.Requests;
        _server = server;
        Metrics = server;
        Cache = new ExpiringCache(Clock);
    }

    public ConnectionSettings Settings { get; }

    /// <summary>The clock every rule of this connection reads (settings' Clock: the system clock, or a test's).</summary>
    public TimeProvider Clock { get; }

    public StoreKind Kind => Settings.Kind;

    /// <summary>Requests sent to the backend, by operation (every attempt counts; on SQLite, statements; on a server, HTTP requests).</summary>
    public RequestCounter Requests { get; }

    /// <summary>The stores of each concept, for services added later.</summary>
    public StoreBackend Stores => Services.Stores;

    public FaultService Faults => Services.Faults;

    public AgentService Agents => Services.Agents;

    public SquelchService Squelches => Services.Squelches;

    public ConfigService Config => Services.Config;

    /// <summary>The metrics: <see cref="MetricService"/> over the store, or the metrics server of a Server connection.</summary>
    public IMetricClient Metrics { get; }

    public AccessKeyService AccessKeys => Services.AccessKeys;

    /// <summary>What Test-CimaaDeployStatus reads from the store: the cluster version, from the configuration store.</summary>
    public ConfigClusterVersionSource Deploy => Services.Deploy;

    public MetaCheck Meta => Services.Meta;

    /// <summary>Export-CimaaDatabase: every selected table to a JSON Lines file.</summary>
    public ExportService Export => Services.Export;

    /// <summary>Import-CimaaDatabase: a whole export file checked, then written in batches.</summary>
    public ImportService Import => Services.Import;

    /// <summary>The status page (the server's GET /) and Export-CimaaReport.</summary>
    public ReportService Report => Services.Report;

    /// <summary>Initialize-CimaaTable.</summary>
    public ITableStore Tables => Services.Stores.Tables;

    /// <summary>Values a host keeps for this connection, timed by <see cref="Clock"/> (tab completion).</summary>
    public ExpiringCache Cache { get; }

    /// <summary>
    /// Begins the unit of work of one pipeline's writes: pass it in <see cref="OpContext.Batch"/>, commit it when every write is
    /// done, and dispose it (which rolls back what was not committed) in every case. On SQLite it takes the write lock at once
    /// (BEGIN IMMEDIATE), waiting up to the busy timeout for another writer.
    /// </summary>
    public async Task<WriteBatch> BeginBatchAsync(OpContext op) =>
        new(_services is null ? null : await _services.Stores.BeginBatchAsync(op).ConfigureAwait(false));

    private StoreServices Services => _services ?? throw ServerSettings.NotSupported(Settings, "This command");

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return _services?.Stores.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    /// <summary>The services over a backend's stores (every connection kind but Server).</summary>
    private sealed class StoreServices
    {
        public StoreServices(StoreBackend stores, TimeProvider clock, MetricService metrics)
        {
            var settings = stores.Settings;
            Stores = stores;
            Squelches = new SquelchService(stores.Squelches, clock);
            Faults = new FaultService(stores.Faults, Squelches, clock);
            Agents = new AgentService(stores.Faults, clock);
            Config = new ConfigService(stores.Config, clock, settings.ConfigStoreKey, settings.ConfigOptionKey);
            AccessKeys = new AccessKeyService(stores.AccessKeys, clock);
            Deploy = new ConfigClusterVersionSource(Config);
            Meta = new MetaCheck(Agents, Squelches, clock);
            Export = new ExportService(stores, clock);
            Import = new ImportService(stores, Config, metrics);
            Report = new ReportService(Faults, Agents, Squelches, metrics, clock);
        }

        public StoreBackend Stores { get; }
        public FaultService Faults { get; }
        public AgentService Agents { get; }
        public SquelchService Squelches { get; }
        public ConfigService Config { get; }
        public AccessKeyService AccessKeys { get; }
        public ConfigClusterVersionSource Deploy { get; }
        public MetaCheck Meta { get; }
        public ExportService Export { get; }
        public ImportService Import { get; }
        public ReportService Report { get; }
    }
}
