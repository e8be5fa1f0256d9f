namespace Cimaa.Storage;

/// <summary>
/// The stores of one backend, one per concept, built together by <see cref="StoreFactory"/> over one shared connection (a
/// DynamoDB table client or an SQLite database helper). A service added later takes the store of its concept from here:
/// add a property, and construct the store of each backend in StoreFactory.
/// </summary>
public sealed class StoreBackend(StoreKind kind, ConnectionSettings settings, RequestCounter requests, IAsyncDisposable connection)
    : IAsyncDisposable
{
    public StoreKind Kind { get; } = kind;

    public ConnectionSettings Settings { get; } = settings;

    /// <summary>Requests sent to the backend, by operation name (DynamoDB API name, or the SQL statement kind).</summary>
    public RequestCounter Requests { get; } = requests;

    /// <summary>What the stores share: the DynamoDB table client or the SQLite database helper. Disposed with the backend.</summary>
    public IAsyncDisposable Connection { get; } = connection;

    public required IFaultStore Faults { get; init; }

    public required ISquelchStore Squelches { get; init; }

    public required IConfigStore Config { get; init; }

    public required IMetricStore Metrics { get; init; }

    public required IAccessKeyStore AccessKeys { get; init; }

    public required ITableStore Tables { get; init; }

    /// <summary>A transaction for a pipeline's writes when the backend has one (SQLite); otherwise null.</summary>
    internal async Task<IStoreBatch?> BeginBatchAsync(OpContext op) =>
        Connection is IBatchSource source ? await source.BeginBatchAsync(op).ConfigureAwait(false) : null;

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
