using Cimaa.AccessKeys;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cimaa.Server;

/// <summary>
/// The access keys in memory, for the signature verifier's synchronous lookup, reloaded whole from a source (the
/// credentials store) at most once per <see cref="Refresh"/>. Before a signed request is checked, <see cref="EnsureFreshAsync"/>
/// starts a reload in the background once the keys are <see cref="Refresh"/> old, and waits for one when they are twice that
/// old or were never loaded; so the keys a request is checked against were read less than 2 × Refresh ago (30 s by default),
/// and a change to a key takes effect within that time. A failed reload keeps the keys in memory and is retried after
/// Refresh; keys older than 2 × Refresh are never used (the request is refused with 503).
/// </summary>
public sealed class AccessKeyCache
{
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromSeconds(15);

    private readonly Func<CancellationToken, IAsyncEnumerable<AccessKeyRecord>> _source;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private Snapshot? _snapshot;
    private Task? _running;
    private DateTimeOffset? _lastAttempt;

    private sealed record Snapshot(IReadOnlyDictionary<string, AccessKeyRecord> Keys, DateTimeOffset ReadAt);

    public AccessKeyCache(Func<CancellationToken, IAsyncEnumerable<AccessKeyRecord>> source, TimeProvider clock, TimeSpan? refresh = null,
        ILogger? logger = null)
    {
        _source = source;
        _clock = clock;
        Refresh = refresh ?? DefaultRefresh;
        if (Refresh <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(refresh), "The refresh interval must be positive.");
        _logger = logger ?? NullLogger.Instance;
    }

    public TimeSpan Refresh { get; }

    /// <summary>How many loads have completed (for tests and the status page).</summary>
    public int Loads { get; private set; }

    /// <summary>The key with this id in the keys in memory; null when there is none. Never reads the source.</summary>
    public AccessKeyRecord? Lookup(string accessKeyId) => Volatile.Read(ref _snapshot)?.Keys.GetValueOrDefault(accessKeyId);

    /// <summary>
    /// Makes the keys in memory usable for a request now: true when they were read less than 2 × Refresh ago (after waiting for
    /// a reload if needed), false when no such keys could be read.
    /// </summary>
    public async ValueTask<bool> EnsureFreshAsync(CancellationToken ct = default)
    {
        var now = _clock.GetUtcNow();
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && now - snapshot.ReadAt < Refresh) return true;
        var reload = StartReload(now);
        if (snapshot is not null && now - snapshot.ReadAt < 2 * Refresh) return true;
        if (reload is not null) await reload.WaitAsync(ct).ConfigureAwait(false);
        snapshot = Volatile.Read(ref _snapshot);
        return snapshot is not null && _clock.GetUtcNow() - snapshot.ReadAt < 2 * Refresh;
    }

    /// <summary>Reads every key now (at start-up), unless a reload is already running; a failure is logged, not thrown.</summary>
    public Task LoadAsync()
    {
        lock (_gate)
        {
            _lastAttempt = _clock.GetUtcNow();
            return _running ??= RunAsync(_lastAttempt.Value);
        }
    }

    /// <summary>The running reload, or a new one unless the last attempt was less than Refresh ago; null when none may start.</summary>
    private Task? StartReload(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_running is not null) return _running;
            if (_lastAttempt is { } last && now - last < Refresh) return null;
            _lastAttempt = now;
            return _running = RunAsync(now);
        }
    }

    private async Task RunAsync(DateTimeOffset startedAt)
    {
        await Task.Yield();
        try
        {
            var keys = new Dictionary<string, AccessKeyRecord>(StringComparer.Ordinal);
            await foreach (var key in _source(CancellationToken.None).ConfigureAwait(false)) keys[key.AccessKeyId] = key;
            // The keys are as the source had them when the read began: the snapshot is dated then.
            Volatile.Write(ref _snapshot, new Snapshot(keys, startedAt));
            Loads++;
            _logger.KeysLoaded(keys.Count);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.KeysNotLoaded(e.Message);
        }
        finally
        {
            lock (_gate) _running = null;
        }
    }
}
