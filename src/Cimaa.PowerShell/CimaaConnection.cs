using System.Runtime.CompilerServices;
using System.Management.Automation.Runspaces;
using Cimaa.Storage;

namespace Cimaa;

/// <summary>
/// A connection to a Cimaa store, as returned by Connect-Cimaa -PassThru and Get-CimaaConnection.
/// It shows where the data lives and never exposes credentials. The store opens on first use.
/// </summary>
/// <remarks>
/// This type is part of cmdlet signatures, so it lives in the cmdlet assembly and holds Core objects only as
/// <see cref="object"/>: PowerShell inspects cmdlet parameter types before the private load context is hooked up.
/// </remarks>
public sealed class CimaaConnection : IDisposable
{
    private readonly object _settings;
    private readonly object _gate = new();
    private object? _store;
    private object? _metrics;

    internal CimaaConnection(object settings) => _settings = settings;

    public string Kind => Settings.Kind.ToString();
    public string? Path => Settings.Kind == StoreKind.Local ? Settings.Path : null;
    public string? Region => Settings.Kind is StoreKind.DynamoDB or StoreKind.Server ? Settings.Region : null;
    public string? TablePrefix => Settings.Kind == StoreKind.DynamoDB ? Settings.TablePrefix : null;

    /// <summary>The DynamoDB endpoint, or for a Server connection the server's URL.</summary>
    public Uri? EndpointUrl => Settings.Kind == StoreKind.Server ? Settings.ServerUrl : Settings.EndpointUrl;

    /// <summary>The metrics server of a Server connection.</summary>
    public Uri? ServerUrl => Settings.Kind == StoreKind.Server ? Settings.ServerUrl : null;

    /// <summary>The access key a Server connection signs with (its id only; the secret is never shown).</summary>
    public string? AccessKeyId => Settings.Kind == StoreKind.Server ? Settings.AccessKeyId : null;

    public string? ConfigTableName => Settings.Kind == StoreKind.DynamoDB ? Settings.ConfigTable : null;
    public int MaxReadAttempts => Settings.MaxReadAttempts;
    public int MaxWriteAttempts => Settings.MaxWriteAttempts;

    /// <summary>Requests sent so far through this connection (every attempt counts).</summary>
    public long RequestCount => Counter()?.Total ?? 0;

    /// <summary>Requests sent so far, by operation (Query, BatchWriteItem, PutItem, ...).</summary>
    public IReadOnlyDictionary<string, long> Requests => Counter()?.Snapshot() ?? new Dictionary<string, long>();

    internal bool IsServer => Settings.Kind == StoreKind.Server;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RequestCounter? Counter() => _metrics is Storage.Http.ServerMetricClient server ? server.Requests
        : _store is null ? null : Store.Requests;

    /// <summary>Where the metric cmdlets read and write: the store, or the metrics server of a Server connection.</summary>
    internal global::Cimaa.Metrics.IMetricClient Metrics
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        get
        {
            if (!IsServer) return new global::Cimaa.Metrics.MetricService(Store);
            if (_metrics is global::Cimaa.Metrics.IMetricClient client) return client;
            lock (_gate)
            {
                _metrics ??= new Storage.Http.ServerMetricClient(Settings);
                return (global::Cimaa.Metrics.IMetricClient)_metrics;
            }
        }
    }

    internal ConnectionSettings Settings
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        get => (ConnectionSettings)_settings;
    }

    internal ICimaaStore Store
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        get
        {
            if (_store is ICimaaStore store) return store;
            lock (_gate)
            {
                _store ??= StoreFactory.Open(Settings);
                return (ICimaaStore)_store;
            }
        }
    }

    public override string ToString() => Settings.ToString();

    public void Dispose()
    {
        if (_store is IAsyncDisposable d) d.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store = null;
        if (_metrics is IDisposable m) m.Dispose();
        _metrics = null;
    }
}

/// <summary>The session default connection, one per runspace.</summary>
internal static class SessionConnection
{
    private static readonly ConditionalWeakTable<Runspace, StrongBox<CimaaConnection?>> Defaults = new();

    public static CimaaConnection? Get(Runspace? runspace) =>
        runspace is not null && Defaults.TryGetValue(runspace, out var box) ? box.Value : null;

    public static void Set(Runspace? runspace, CimaaConnection connection)
    {
        if (runspace is null) return;
        var box = Defaults.GetValue(runspace, _ => new StrongBox<CimaaConnection?>());
        var previous = box.Value;
        box.Value = connection;
        if (previous is not null && !ReferenceEquals(previous, connection)) previous.Dispose();
    }
}
