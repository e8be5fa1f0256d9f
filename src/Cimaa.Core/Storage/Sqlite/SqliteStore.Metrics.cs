using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

/// <summary>Metrics in the tables datapoints (stream_key, offset_ms) and datapoints_index (dm, bt), the DynamoDB layout in SQL.</summary>
public sealed partial class SqliteStore
{
    public MetricIndexCache MetricIndexCache { get; } = new();

    public Task WriteMetricsAsync(IReadOnlyList<MetricIndexRecord> index, IReadOnlyList<DataPointRecord> points, long now, OpContext op) =>
        WriteAsync(async (conn, tx) =>
        {
            // Aging: expired rows go as new ones arrive (the expires indexes keep this cheap).
            await using (var purge = Command(tx, "DeleteExpiredMetrics",
                "DELETE FROM datapoints WHERE expires <= $now; DELETE FROM datapoints_index WHERE expires <= $now;", op))
            {
                purge.Parameters.AddWithValue("$now", now);
                await purge.ExecuteNonQueryAsync(op.Token);
            }
            if (index.Count > 0)
            {
                await using var put = Command(tx, "UpsertMetricIndex",
                    "INSERT INTO datapoints_index (dm, bt, expires) VALUES ($dm, $bt, $e) " +
                    "ON CONFLICT (dm, bt) DO UPDATE SET expires = max(expires, excluded.expires)", op);
                var dm = put.Parameters.Add("$dm", SqliteType.Text);
                var bt = put.Parameters.Add("$bt", SqliteType.Text);
                var e = put.Parameters.Add("$e", SqliteType.Integer);
                foreach (var entry in index)
                {
                    dm.Value = entry.DomainMetric;
                    bt.Value = entry.BaseTag;
                    e.Value = entry.Expires;
                    await put.ExecuteNonQueryAsync(op.Token);
                }
            }
            if (points.Count > 0)
            {
                await using var put = Command(tx, "UpsertDataPoints",
                    "INSERT OR REPLACE INTO datapoints (stream_key, offset_ms, n, s, expires) VALUES ($k, $o, $n, $s, $e)", op);
                var k = put.Parameters.Add("$k", SqliteType.Text);
                var o = put.Parameters.Add("$o", SqliteType.Integer);
                var n = put.Parameters.Add("$n", SqliteType.Text);
                var s = put.Parameters.Add("$s", SqliteType.Text);
                var e = put.Parameters.Add("$e", SqliteType.Integer);
                foreach (var p in points)
                {
                    k.Value = p.Key;
                    o.Value = p.Offset;
                    n.Value = (object?)p.Number ?? DBNull.Value;
                    s.Value = (object?)p.Json ?? DBNull.Value;
                    e.Value = p.Expires;
                    await put.ExecuteNonQueryAsync(op.Token);
                }
            }
            return 0;
        }, op);

    public IAsyncEnumerable<MetricIndexRecord> GetMetricIndexAsync(string domainMetric, string? from, string? to, OpContext op)
    {
        op.Log.Verbose($"Querying datapoints_index for {domainMetric}");
        return QueryAsync("SelectMetricIndex",
            "SELECT dm, bt, expires FROM datapoints_index WHERE dm = $dm AND bt >= $from AND bt <= $to ORDER BY bt",
            p =>
            {
                p.AddWithValue("$dm", domainMetric);
                p.AddWithValue("$from", from ?? "");
                p.AddWithValue("$to", to ?? "\U0010FFFF");
            },
            r => new MetricIndexRecord(r.GetString(0), r.GetString(1), r.GetInt64(2)), op);
    }

    public IAsyncEnumerable<MetricIndexRecord> ScanMetricIndexAsync(string prefix, OpContext op)
    {
        op.Log.Verbose($"Querying datapoints_index for metric names starting with {prefix}");
        return QueryAsync("SelectMetricNames",
            "SELECT dm, '', max(expires) FROM datapoints_index WHERE substr(dm, 1, length($p)) = $p GROUP BY dm ORDER BY dm",
            p => p.AddWithValue("$p", prefix),
            r => new MetricIndexRecord(r.GetString(0), r.GetString(1), r.GetInt64(2)), op);
    }

    public Task DeleteAllMetricsAsync(OpContext op) =>
        WriteAsync(async (conn, tx) =>
        {
            await using var cmd = Command(tx, "DeleteAllMetrics", "DELETE FROM datapoints; DELETE FROM datapoints_index;", op);
            return await cmd.ExecuteNonQueryAsync(op.Token);
        }, op);

    public IAsyncEnumerable<DataPointRecord> GetDataPointsAsync(string key, long fromOffset, long toOffset, OpContext op) =>
        QueryAsync("SelectDataPoints",
            "SELECT stream_key, offset_ms, n, s, expires FROM datapoints WHERE stream_key = $k AND offset_ms BETWEEN $from AND $to ORDER BY offset_ms",
            p =>
            {
                p.AddWithValue("$k", key);
                p.AddWithValue("$from", fromOffset);
                p.AddWithValue("$to", toOffset);
            },
            r => new DataPointRecord(r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.GetInt64(4)), op);
}
