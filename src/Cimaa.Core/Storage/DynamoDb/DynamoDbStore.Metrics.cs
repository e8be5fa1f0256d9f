using Amazon.DynamoDBv2.Model;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// Metrics in <c>&lt;prefix&gt;datapoints</c> (hash key, range offset) and <c>&lt;prefix&gt;datapoints_index</c> (hash dm, range bt),
/// after Amondawa. Expiry is evaluated in code (and by TTL on 'expires' where the server has it).
/// </summary>
public sealed partial class DynamoDbStore
{
    public MetricIndexCache MetricIndexCache { get; } = new();

    public async Task WriteMetricsAsync(IReadOnlyList<MetricIndexRecord> index, IReadOnlyList<DataPointRecord> points, long now, OpContext op)
    {
        if (index.Count > 0)
        {
            var writes = index.Select(e => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                ["dm"] = S(e.DomainMetric),
                ["bt"] = S(e.BaseTag),
                ["expires"] = N(e.Expires),
            }))).ToList();
            await BatchWriteAsync(Settings.DataPointsIndexTable, writes, op);
        }
        if (points.Count > 0)
        {
            var writes = new List<WriteRequest>(points.Count);
            foreach (var p in points)
            {
                writes.Add(new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
                {
                    ["key"] = S(p.Key),
                    ["offset"] = N(p.Offset),
                    ["value"] = p.Number is { } n ? new AttributeValue { N = n } : S(p.Json ?? "null"),
                    ["expires"] = N(p.Expires),
                })));
            }
            await BatchWriteAsync(Settings.DataPointsTable, writes, op);
        }
    }

    public async IAsyncEnumerable<MetricIndexRecord> GetMetricIndexAsync(string domainMetric, string? from, string? to, OpContext op)
    {
        op.Log.Verbose($"Querying {Settings.DataPointsIndexTable} for {domainMetric}");
        var request = new QueryRequest
        {
            TableName = Settings.DataPointsIndexTable,
            KeyConditionExpression = from is null && to is null ? "#dm = :dm" : "#dm = :dm AND #bt BETWEEN :from AND :to",
            ExpressionAttributeNames = from is null && to is null ? new() { ["#dm"] = "dm" } : new() { ["#dm"] = "dm", ["#bt"] = "bt" },
            ExpressionAttributeValues = new() { [":dm"] = S(domainMetric) },
        };
        if (from is not null || to is not null)
        {
            request.ExpressionAttributeValues[":from"] = S(from ?? "0");
            request.ExpressionAttributeValues[":to"] = S(to ?? "~");
        }
        await foreach (var item in QueryAsync(request, op)) yield return ToIndexEntry(item);
    }

    public async IAsyncEnumerable<MetricIndexRecord> ScanMetricIndexAsync(string prefix, OpContext op)
    {
        op.Log.Verbose($"Scanning {Settings.DataPointsIndexTable} for metric names starting with {prefix}");
        var request = new ScanRequest
        {
            TableName = Settings.DataPointsIndexTable,
            FilterExpression = "begins_with(#dm, :p)",
            ProjectionExpression = "#dm, #bt, #e",
            ExpressionAttributeNames = new() { ["#dm"] = "dm", ["#bt"] = "bt", ["#e"] = "expires" },
            ExpressionAttributeValues = new() { [":p"] = S(prefix) },
        };
        await foreach (var item in ScanAsync(request, op)) yield return ToIndexEntry(item);
    }

    public async IAsyncEnumerable<DataPointRecord> GetDataPointsAsync(string key, long fromOffset, long toOffset, OpContext op)
    {
        op.Log.Debug($"Querying {Settings.DataPointsTable} for {key}");
        var request = new QueryRequest
        {
            TableName = Settings.DataPointsTable,
            KeyConditionExpression = "#k = :k AND #o BETWEEN :from AND :to",
            ExpressionAttributeNames = new() { ["#k"] = "key", ["#o"] = "offset" },
            ExpressionAttributeValues = new() { [":k"] = S(key), [":from"] = N(fromOffset), [":to"] = N(toOffset) },
        };
        await foreach (var item in QueryAsync(request, op))
        {
            var value = item.TryGetValue("value", out var v) ? v : null;
            yield return new DataPointRecord(key, Long(item, "offset") ?? 0, value?.N, value?.N is null ? value?.S : null,
                Long(item, "expires") ?? long.MaxValue);
        }
    }

    /// <summary>Scans both tables for their keys and deletes them in batches of 25.</summary>
    public async Task DeleteAllMetricsAsync(OpContext op)
    {
        op.Log.Verbose($"Deleting every item of {Settings.DataPointsTable} and {Settings.DataPointsIndexTable}");
        await DeleteAllAsync(Settings.DataPointsTable, "key", "offset", op);
        await DeleteAllAsync(Settings.DataPointsIndexTable, "dm", "bt", op);
    }

    private async Task DeleteAllAsync(string table, string hash, string range, OpContext op)
    {
        var request = new ScanRequest
        {
            TableName = table,
            ProjectionExpression = "#h, #r",
            ExpressionAttributeNames = new() { ["#h"] = hash, ["#r"] = range },
        };
        var deletes = new List<WriteRequest>();
        await foreach (var item in ScanAsync(request, op))
        {
            deletes.Add(new WriteRequest(new DeleteRequest(new Dictionary<string, AttributeValue> { [hash] = item[hash], [range] = item[range] })));
            if (deletes.Count < 500) continue;
            await BatchWriteAsync(table, deletes, op);
            deletes.Clear();
        }
        if (deletes.Count > 0) await BatchWriteAsync(table, deletes, op);
    }

    private static MetricIndexRecord ToIndexEntry(Dictionary<string, AttributeValue> item) =>
        new(Str(item, "dm") ?? "", Str(item, "bt") ?? "", Long(item, "expires") ?? long.MaxValue);
}
