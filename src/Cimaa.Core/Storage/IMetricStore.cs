namespace Cimaa.Storage;

/// <summary>A stored datapoint: the column key (domain|metric|basetime|tagstring), ms from basetime, N text or JSON text, expiry (epoch s).</summary>
public sealed record DataPointRecord(string Key, long Offset, string? Number, string? Json, long Expires);

/// <summary>An index entry: dm = domain|metric, bt = padded basetime|tagstring, expiry (epoch s).</summary>
public sealed record MetricIndexRecord(string DomainMetric, string BaseTag, long Expires);

/// <summary>Metric datapoints and their index. A store only reads and writes; the rules live in MetricService.</summary>
public interface IMetricStore
{
    /// <summary>
    /// Writes the index entries, then the points. Everything is written when it returns. SQLite also deletes rows that expired by <paramref name="now"/>.
    /// </summary>
    Task WriteMetricsAsync(IReadOnlyList<MetricIndexRecord> index, IReadOnlyList<DataPointRecord> points, long now, OpContext op);

    /// <summary>The index entries of one domain|metric with from &lt;= bt &lt;= to (null: all), sorted by bt.</summary>
    IAsyncEnumerable<MetricIndexRecord> GetMetricIndexAsync(string domainMetric, string? from, string? to, OpContext op);

    /// <summary>Index entries whose dm starts with the prefix (a Scan on DynamoDB). Unordered; may repeat a dm.</summary>
    IAsyncEnumerable<MetricIndexRecord> ScanMetricIndexAsync(string prefix, OpContext op);

    /// <summary>The points of one column with from &lt;= offset &lt;= to, sorted by offset.</summary>
    IAsyncEnumerable<DataPointRecord> GetDataPointsAsync(string key, long fromOffset, long toOffset, OpContext op);

    /// <summary>Deletes every datapoint and index entry (Import-CimaaDatabase -Mode Replace).</summary>
    Task DeleteAllMetricsAsync(OpContext op);
}
