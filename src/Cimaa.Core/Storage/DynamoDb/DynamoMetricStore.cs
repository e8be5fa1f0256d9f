using Amazon.DynamoDBv2.Model;
using static Cimaa.Storage.DynamoDb.DynamoItems;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// Metrics in <c>&lt;prefix&gt;datapoints</c> (hash key, range offset) and <c>&lt;prefix&gt;datapoints_index</c> (hash dm, range bt),
/// after Amondawa. Expiry is evaluated in code (and by TTL on 'expires' where the server has it).
/// </summary>
internal sealed class DynamoMetricStore(DynamoTableClient table) : IMetricStore
{
    private string PointsTable => table.Settings.DataPointsTable;
    private string IndexTable => table.Settings.DataPointsIndexTable;

    public async Task WriteMetricsAsync(IReadOnlyList<MetricIndexRecord> index, IReadOnlyList<DataPointRecord> points, long now, OpContext op)
    {
        // Each request is made as its batch of 25 is sent: an import has several writes of 1,000 points in flight.
        if (index.Count > 0)
        {
            await table.BatchWriteAsync(IndexTable, index.Count, i => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                ["dm"] = S(index[i].DomainMetric),
                ["bt"] = S(index[i].BaseTag),
                ["expires"] = N(index[i].Expires),
            })), op).ConfigureAwait(false);
        }
        if (points.Count > 0)
        {
            await table.BatchWriteAsync(PointsTable, points.Count, i => new WriteRequest(new PutRequest(PointItem(points[i]))), op).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, AttributeValue> PointItem(DataPointRecord p) => new()
    {
        ["key"] = S(p.Key),
        ["offset"] = N(p.Offset),
        ["value"] = p.Number is { } n ? new AttributeValue { N = n } : S(p.Json ?? "null"),
        ["expires"] = N(p.Expires),
    };

    public async IAsyncEnumerable<MetricIndexRecord> GetMetricIndexAsync(string domainMetric, string? from, string? to, OpContext op)
    {
        op.Log.Verbose($"Querying {IndexTable} for {domainMetric}");
        var ranged = from is not null || to is not null;
        var request = new QueryRequest
        {
            TableName = IndexTable,
            KeyConditionExpression = ranged ? "#dm = :dm AND #bt BETWEEN :from AND :to" : "#dm = :dm",
            ExpressionAttributeNames = ranged ? new() { ["#dm"] = "dm", ["#bt"] = "bt" } : new() { ["#dm"] = "dm" },
            ExpressionAttributeValues = new() { [":dm"] = S(domainMetric) },
        };
        if (ranged)
        {
            request.ExpressionAttributeValues[":from"] = S(from ?? "0");
            request.ExpressionAttributeValues[":to"] = S(to ?? "~");
        }
        await foreach (var item in table.QueryAsync(request, op).ConfigureAwait(false)) yield return ToIndexEntry(item);
    }

    public async IAsyncEnumerable<MetricIndexRecord> ScanMetricIndexAsync(string prefix, OpContext op)
    {
        op.Log.Verbose($"Scanning {IndexTable} for metric names starting with {prefix}");
        var request = new ScanRequest
        {
            TableName = IndexTable,
            FilterExpression = "begins_with(#dm, :p)",
            ProjectionExpression = "#dm, #bt, #e",
            ExpressionAttributeNames = new() { ["#dm"] = "dm", ["#bt"] = "bt", ["#e"] = "expires" },
            ExpressionAttributeValues = new() { [":p"] = S(prefix) },
        };
        await foreach (var item in table.ScanAsync(request, op).ConfigureAwait(false)) yield return ToIndexEntry(item);
    }

    public async IAsyncEnumerable<DataPointRecord> GetDataPointsAsync(string key, long fromOffset, long toOffset, OpContext op)
    {
        op.Log.Debug($"Querying {PointsTable} for {key}");
        var request = new QueryRequest
        {
            TableName = PointsTable,
            KeyConditionExpression = "#k = :k AND #o BETWEEN :from AND :to",
            ExpressionAttributeNames = new() { ["#k"] = "key", ["#o"] = "offset" },
            ExpressionAttributeValues = new() { [":k"] = S(key), [":from"] = N(fromOffset), [":to"] = N(toOffset) },
        };
        await foreach (var item in table.QueryAsync(request, op).ConfigureAwait(false))
        {
            var value = item.TryGetValue("value", out var v) ? v : null;
            yield return new DataPointRecord(key, Long(item, "offset") ?? 0, value?.N, value?.N is null ? value?.S : null,
                Long(item, "expires") ?? long.MaxValue);
        }
    }

    /// <summary>Scans both tables for their keys only and deletes them in batches, 500 keys at a time in memory.</summary>
    public async Task DeleteAllMetricsAsync(OpContext op)
    {
        op.Log.Verbose($"Deleting every item of {PointsTable} and {IndexTable}");
        await DeleteAllAsync(PointsTable, "key", "offset", op).ConfigureAwait(false);
        await DeleteAllAsync(IndexTable, "dm", "bt", op).ConfigureAwait(false);
    }

    private async Task DeleteAllAsync(string tableName, string hash, string range, OpContext op)
    {
        var request = new ScanRequest
        {
            TableName = tableName,
            ProjectionExpression = "#h, #r",
            ExpressionAttributeNames = new() { ["#h"] = hash, ["#r"] = range },
        };
        var deletes = new List<WriteRequest>();
        await foreach (var item in table.ScanAsync(request, op).ConfigureAwait(false))
        {
            deletes.Add(new WriteRequest(new DeleteRequest(new Dictionary<string, AttributeValue> { [hash] = item[hash], [range] = item[range] })));
            if (deletes.Count < 500) continue;
            await table.BatchWriteAsync(tableName, deletes, op).ConfigureAwait(false);
            deletes.Clear();
        }
        if (deletes.Count > 0) await table.BatchWriteAsync(tableName, deletes, op).ConfigureAwait(false);
    }

    private static MetricIndexRecord ToIndexEntry(Dictionary<string, AttributeValue> item) =>
        new(Str(item, "dm") ?? "", Str(item, "bt") ?? "", Long(item, "expires") ?? long.MaxValue);
}
