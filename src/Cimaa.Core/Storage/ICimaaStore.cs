namespace Cimaa.Storage;

/// <summary>
/// A store only reads and writes; the rules (since preservation, heartbeat last, squelch matching) live above it.
/// One implementation per backend: <see cref="Sqlite.SqliteStore"/> and <see cref="DynamoDb.DynamoDbStore"/>.
/// </summary>
public interface ICimaaStore : IFaultStore, ISquelchStore, IConfigStore, IMetricStore, IAsyncDisposable
{
    StoreKind Kind { get; }

    ConnectionSettings Settings { get; }

    /// <summary>Requests sent to the backend, by operation name (DynamoDB API name, or the SQL statement kind).</summary>
    RequestCounter Requests { get; }

    /// <summary>How many agents a bulk write works on at once.</summary>
    int WriteConcurrency { get; }

    /// <summary>Creates what is missing, validates what exists, and reports one status per table.</summary>
    IAsyncEnumerable<TableStatus> InitializeAsync(TableOptions options, OpContext op);
}
