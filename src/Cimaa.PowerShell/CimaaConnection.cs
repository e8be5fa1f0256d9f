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
/// <see cref="object"/>: PowerShell inspects cmdlet parameter types before the private load context is hooked up. Cmdlets
/// reach Core through one accessor, <see cref="Client"/>, inside their method bodies.
/// </remarks>
public sealed class CimaaConnection : IDisposable
{
    private readonly object _settings;
    private readonly object _gate = new();
    private object? _client;

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
    public long RequestCount => _client is null ? 0 : Client.Requests.Total;

    /// <summary>Requests sent so far, by operation (Query, BatchWriteItem, PutItem, ...).</summary>
    public IReadOnlyDictionary<string, long> Requests =>
        _client is null ? new Dictionary<string, long>() : Client.Requests.Snapshot();

    internal bool IsServer => Settings.Kind == StoreKind.Server;

    /// <summary>NotSupportedByConnection for <paramref name="command"/> on this (Server) connection.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal CimaaException NotSupported(string command) => Storage.Http.ServerSettings.NotSupported(Settings, command);

    /// <summary>The Core client of this connection (services, clock, caches), built on first use: an SQLite file is created then.</summary>
    internal CimaaClient Client
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        get
        {
            if (_client is CimaaClient client) return client;
            lock (_gate)
            {
                _client ??= StoreFactory.Open(Settings);
                return (CimaaClient)_client;
            }
        }
    }

    /// <summary>The connection's clock, read without opening anything (reading a status file opens no store).</summary>
    internal TimeProvider Clock => Settings.Clock;

    /// <summary>True when the connection was made from these settings (equal values).</summary>
    internal bool HasSettings(object settings) => _settings.Equals(settings);

    /// <summary>
    /// The test seam: a new connection with the same settings and another clock, so tests make old heartbeats and squelches
    /// by moving a clock. Internal, reached by reflection from the hosted runspace tests.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal CimaaConnection WithClock(TimeProvider clock) => new(Settings with { Clock = clock });

    private ConnectionSettings Settings
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        get => (ConnectionSettings)_settings;
    }

    public override string ToString() => Settings.ToString();

    public void Dispose()
    {
        if (_client is IAsyncDisposable d) d.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _client = null;
    }
}

/// <summary>The session default connection, one per runspace.</summary>
internal static class SessionConnection
{
    private static readonly ConditionalWeakTable<Runspace, StrongBox<CimaaConnection?>> Defaults = new();
    private static readonly ConditionalWeakTable<Runspace, StrongBox<CimaaConnection?>> Completion = new();

    /// <summary>
    /// The connection tab completion asks: the session default, else the implicit connection ($env:CIMAA_CONFIG, else the
    /// default SQLite file) when its store already exists (<see cref="DefaultLocation.ResolveExisting"/>). That connection is
    /// kept per runspace for completion only, while the environment resolves to the same settings; it never becomes the
    /// session default, so pressing Tab changes nothing for the cmdlets, and it never creates a file or a folder.
    /// </summary>
    public static CimaaConnection? ForCompletion(Runspace? runspace)
    {
        if (Get(runspace) is { } current) return current;
        if (runspace is null) return null;
        return ImplicitForCompletion(runspace);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CimaaConnection? ImplicitForCompletion(Runspace runspace)
    {
        var settings = DefaultLocation.ResolveExisting();
        var box = Completion.GetValue(runspace, _ => new StrongBox<CimaaConnection?>());
        lock (box)
        {
            if (box.Value is { } kept && settings is not null && kept.HasSettings(settings)) return kept;
            box.Value?.Dispose();
            box.Value = settings is null ? null : new CimaaConnection(settings);
            return box.Value;
        }
    }

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
