
namespace Cimaa;

/// <summary>
/// The writes of one pipeline as one unit of work, begun by <see cref="CimaaClient.BeginBatchAsync"/> and passed to Core in
/// <see cref="OpContext.Batch"/>. On SQLite it is one immediate transaction on one connection: every read and write given the
/// batch runs in it, <see cref="CommitAsync"/> commits (one fsync), and disposing it uncommitted rolls everything back. On
/// DynamoDB and a metrics server there is nothing to hold: each write is sent as it comes, and commit and rollback do nothing.
/// </summary>
/// <remarks>
/// One flow of work at a time: the SQLite connection of a batch is not shared between threads at once (the SQLite stores
/// write one agent, option or target after another). What a service caches about written data (the metric index entries,
/// the config cache) is recorded with <see cref="OpContext.AfterCommit"/>, so a rollback leaves no cached trace.
/// </remarks>
public sealed class WriteBatch : IAsyncDisposable
{
    private readonly IStoreBatch? _store;
    private readonly List<Action> _afterCommit = [];
    private bool _disposed;

    internal WriteBatch(IStoreBatch? store) => _store = store;

    /// <summary>The backend's transaction; null when the backend has none (DynamoDB, a metrics server).</summary>
    internal IStoreBatch? Store => _disposed ? throw new ObjectDisposedException(nameof(WriteBatch)) : _store;

    /// <summary>True once <see cref="CommitAsync"/> has succeeded.</summary>
    public bool IsCommitted { get; private set; }

    /// <summary>True when the backend holds the writes until the commit (SQLite).</summary>
    public bool IsTransactional => _store is not null;

    /// <summary>Commits the writes, then runs what was deferred to the commit.</summary>
    public async Task CommitAsync(OpContext op)
    {
        if (IsCommitted) return;
        if (Store is { } store) await store.CommitAsync(op).ConfigureAwait(false);
        IsCommitted = true;
        lock (_afterCommit)
        {
            foreach (var action in _afterCommit) action();
            _afterCommit.Clear();
        }
    }

    internal void AfterCommit(Action action)
    {
        if (_store is null || IsCommitted)
        {
            action();
            return;
        }
        lock (_afterCommit) _afterCommit.Add(action);
    }

    /// <summary>Rolls back what was not committed, and releases the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (_store is not null) await _store.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A backend's transaction under a <see cref="WriteBatch"/>; disposed uncommitted, it rolls back.</summary>
internal interface IStoreBatch : IAsyncDisposable
{
    Task CommitAsync(OpContext op);
}

/// <summary>A backend connection that can hold a pipeline's writes in one transaction (SQLite).</summary>
internal interface IBatchSource
{
    Task<IStoreBatch> BeginBatchAsync(OpContext op);
}
