namespace Cimaa.Storage.Sqlite;

/// <summary>Metrics in the tables datapoints (stream_key, offset_ms) and datapoints_index (dm, bt), the DynamoDB layout in SQL.</summary>
internal sealed class SqliteMetricStore(SqliteDatabase db) : IMetricStore
{
    public Task WriteMetricsAsync(IReadOnlyList<MetricIndexRecord> index, IReadOnlyList<DataPointRecord> points, long now, OpContext op) =>
        db.WriteAsync(async tx =>
        {
            // Aging: expired rows go as new ones arrive (the expires indexes keep this cheap).
            await db.ExecuteAsync(tx, "DeleteExpiredMetrics",
                "DELETE FROM datapoints WHERE expires <= $now; DELETE FROM datapoints_index WHERE expires <= $now;", [now], op).ConfigureAwait(false);
            await db.ExecuteEachAsync(tx, "UpsertMetricIndex",
                "INSERT INTO datapoints_index (dm, bt, expires) VALUES ($dm, $bt, $e) " +
                "ON CONFLICT (dm, bt) DO UPDATE SET expires = max(expires, excluded.expires)",
                index, e => [e.DomainMetric, e.BaseTag, e.Expires], op).ConfigureAwait(false);
            await db.ExecuteEachAsync(tx, "UpsertDataPoints",
                "INSERT OR REPLACE INTO datapoints (stream_key, offset_ms, n, s, expires) VALUES ($k, $o, $n, $s, $e)",
                points, p => [p.Key, p.Offset, p.Number, p.Json, p.Expires], op).ConfigureAwait(false);
            return 0;
        }, op);

    public IAsyncEnumerable<MetricIndexRecord> GetMetricIndexAsync(string domainMetric, string? from, string? to, OpContext op)
    {
        op.Log.Verbose($"Querying datapoints_index for {domainMetric}");
        return db.QueryAsync("SelectMetricIndex",
            "SELECT dm, bt, expires FROM datapoints_index WHERE dm = $dm AND bt >= $from AND bt <= $to ORDER BY bt",
            [domainMetric, from ?? "", to ?? "\U0010FFFF"],
            r => new MetricIndexRecord(r.GetString(0), r.GetString(1), r.GetInt64(2)), op);
    }

    public IAsyncEnumerable<MetricIndexRecord> ScanMetricIndexAsync(string prefix, OpContext op)
    {
        op.Log.Verbose($"Querying datapoints_index for metric names starting with {prefix}");
        return db.QueryAsync("SelectMetricNames",
            "SELECT dm, '', max(expires) FROM datapoints_index WHERE substr(dm, 1, length($p)) = $p GROUP BY dm ORDER BY dm",
            [prefix],
            r => new MetricIndexRecord(r.GetString(0), r.GetString(1), r.GetInt64(2)), op);
    }

    public Task DeleteAllMetricsAsync(OpContext op) =>
        db.WriteAsync(tx => db.ExecuteAsync(tx, "DeleteAllMetrics", "DELETE FROM datapoints; DELETE FROM datapoints_index;", [], op), op);

    public IAsyncEnumerable<DataPointRecord> GetDataPointsAsync(string key, long fromOffset, long toOffset, OpContext op) =>
        db.QueryAsync("SelectDataPoints",
            "SELECT stream_key, offset_ms, n, s, expires FROM datapoints WHERE stream_key = $k AND offset_ms BETWEEN $from AND $to ORDER BY offset_ms",
            [key, fromOffset, toOffset],
            r => new DataPointRecord(r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.GetInt64(4)), op);
}
