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

    internal CimaaConnection(object settings) => _settings = settings;

    public string Kind => Settings.Kind.ToString();
    public string? Path => Settings.Kind == StoreKind.Local ? Settings.Path : null;
    public string? Region => Settings.Kind == StoreKind.DynamoDB ? Settings.Region : null;
    public string? TablePrefix => Settings.Kind == StoreKind.DynamoDB ? Settings.TablePrefix : null;
    public Uri? EndpointUrl => Settings.EndpointUrl;
    public string? ConfigTableName => Settings.Kind == StoreKind.DynamoDB ? Settings.ConfigTable : null;
    public int MaxReadAttempts => Settings.MaxReadAttempts;
    public int MaxWriteAttempts => Settings.MaxWriteAttempts;

    /// <summary>Requests sent so far through this connection (every attempt counts).</summary>
    public long RequestCount => _store is null ? 0 : Store.Requests.Total;

    /// <summary>Requests sent so far, by operation (Query, BatchWriteItem, PutItem, ...).</summary>
    public IReadOnlyDictionary<string, long> Requests =>
        _store is null ? new Dictionary<string, long>() : Store.Requests.Snapshot();

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
            if (box.Value is { } kept && settings is not null && kept.Settings == settings) return kept;
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
