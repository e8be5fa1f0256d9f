using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cimaa.Metrics;
using Cimaa.Storage;

namespace Cimaa.Bench;

/// <summary>
/// Cimaa's metric service (Core, no PowerShell) against a raw-AWSSDK program on the same dynalite: writing 100,000 points, then a
/// 24 h query downsampled to 1 minute over 50 streams. Both count their requests in flight with a handler on the SDK's HttpClient.
/// </summary>
public static class MetricsBench
{
    public const int InFlightBound = 8;

    public static async Task<List<Result>> RunAsync(Uri endpoint, int points, int streams, int runs)
    {
        var now = DateTimeOffset.UtcNow;
        var end = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60);
        var start = end.AddHours(-24);
        var spacingMs = 24 * 3_600_000L * streams / points; // each stream's points spread evenly over the 24 hours
        var data = Enumerable.Range(0, points).Select(i => new MetricInput("bench.cpu", (decimal)(i % 1000) / 10m,
            [new KeyValuePair<object?, object?>("host", $"web{i % streams:D3}"), new KeyValuePair<object?, object?>("dc", "eu")],
            start.AddMilliseconds(i / streams * spacingMs + (i % streams)), null)).ToList();
        var valid = MetricValidation.Validate(data, now);
        var counter = new InFlightFactory();
        var run = 0;
        ConnectionSettings Settings() => new()
        {
            Kind = StoreKind.DynamoDB, EndpointUrl = endpoint, Region = "us-east-1", AccessKeyId = "AKIDBENCH", SecretAccessKey = "bench",
            TablePrefix = $"m{Environment.ProcessId}x{++run}.", HttpClientFactory = counter,
        };
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("AKIDBENCH", "bench"),
            new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0, HttpClientFactory = counter });
        var raw = new RawMetrics(client);

        // Writes: each run into fresh tables. The data of the first Cimaa run is what both programs query afterwards.
        CimaaClient? queried = null;
        await WriteCimaa(valid.Take(2_000).ToList(), keep: false); // warm-up
        await raw.WriteAsync(Settings().TablePrefix, data.Take(2_000).ToList());
        var writes = await Measure.FloorAsync(runs,
            () => WriteCimaa(valid, keep: queried is null),
            () => raw.WriteAsync(Settings().TablePrefix, data), null);
        var results = new List<Result>
        {
            Measure.FloorRow($"Write-CimaaMetric's service, {points:N0} points ({streams} streams), dynalite", writes, 1.25, "raw AWSSDK", "",
                "Cimaa.Core, no PowerShell; both send BatchWriteItem of 25 one after another, index rows first"),
        };

        // Queries: the same tables, alternating; the handler records the most requests in flight during each.
        var service = queried!.Metrics;
        var query = new MetricQuery(["bench.cpu"], start, end, Downsample: TimeSpan.FromMinutes(1));
        var prefix = queried!.Settings.TablePrefix;
        int cimaaWindows = 0, rawWindows = 0, cimaaMax = 0, rawMax = 0;
        await CimaaQuery();
        await RawQuery();
        var queries = await Measure.FloorAsync(Math.Max(runs, 7), CimaaQuery, RawQuery, null);
        if (cimaaWindows != rawWindows) throw new InvalidOperationException($"The programs disagree: Cimaa {cimaaWindows} windows, raw {rawWindows}.");
        var row = Measure.FloorRow($"Get-CimaaMetric's service, 24 h at 1-minute downsampling (avg), {streams} streams, dynalite", queries, 1.1,
            "raw AWSSDK", "", $"Cimaa.Core, no PowerShell; {cimaaWindows:N0} points out; most requests in flight: Cimaa {cimaaMax}, raw {rawMax} " +
            $"(bound {InFlightBound}); the raw program reads every column of every stream with {InFlightBound} in flight and downsamples after");
        results.Add(row with { Met = row.Met && cimaaMax <= InFlightBound, Goal = row.Goal + $", ≤ {InFlightBound} in flight", Profile = "metrics-query" });
        await queried.DisposeAsync();
        await raw.DropAsync(prefix);
        return results;

        async Task<double> WriteCimaa(IReadOnlyList<ValidMetric> metrics, bool keep)
        {
            var store = StoreFactory.Open(Settings());
            await foreach (var _ in store.Tables.InitializeAsync(new TableOptions(), OpContext.None)) { }
            var seconds = await Measure.SecondsAsync(() => store.Metrics.WriteAsync(metrics, OpContext.None));
            if (keep) queried = store;
            else
            {
                await store.DisposeAsync();
                await raw.DropAsync(store.Settings.TablePrefix);
            }
            return seconds;
        }

        async Task<double> CimaaQuery()
        {
            counter.Handler.Reset();
            var seconds = await Measure.SecondsAsync(async () =>
            {
                var n = 0;
                await foreach (var _ in service.QueryAsync(query, OpContext.None)) n++;
                cimaaWindows = n;
            });
            cimaaMax = Math.Max(cimaaMax, counter.Handler.MaxInFlight);
            return seconds;
        }

        async Task<double> RawQuery()
        {
            counter.Handler.Reset();
            var seconds = await Measure.SecondsAsync(async () => rawWindows = await raw.QueryAsync(prefix, start, end));
            rawMax = Math.Max(rawMax, counter.Handler.MaxInFlight);
            return seconds;
        }
    }

    /// <summary>For the profiler: the same data and query as the row, written once; returns the query to run.</summary>
    public static async Task<Func<Task>> SeedQueryAsync(Uri endpoint, int points, int streams)
    {
        var end = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        var start = end.AddHours(-24);
        var spacingMs = 24 * 3_600_000L * streams / points;
        var data = Enumerable.Range(0, points).Select(i => new MetricInput("bench.cpu", (decimal)(i % 1000) / 10m,
            [new KeyValuePair<object?, object?>("host", $"web{i % streams:D3}"), new KeyValuePair<object?, object?>("dc", "eu")],
            start.AddMilliseconds(i / streams * spacingMs + (i % streams)), null)).ToList();
        var store = StoreFactory.Open(new ConnectionSettings
        {
            Kind = StoreKind.DynamoDB, EndpointUrl = endpoint, Region = "us-east-1", AccessKeyId = "AKIDBENCH", SecretAccessKey = "bench",
            TablePrefix = $"p{Environment.ProcessId}.",
        });
        await foreach (var _ in store.Tables.InitializeAsync(new TableOptions(), OpContext.None)) { }
        var service = store.Metrics;
        await service.WriteAsync(MetricValidation.Validate(data, DateTimeOffset.UtcNow), OpContext.None);
        var query = new MetricQuery(["bench.cpu"], start, end, Downsample: TimeSpan.FromMinutes(1));
        return async () => { await foreach (var _ in service.QueryAsync(query, OpContext.None)) { } };
    }
}

/// <summary>An SDK HttpClient factory whose handler counts the requests in flight and keeps the most seen at once.</summary>
public sealed class InFlightFactory : HttpClientFactory
{
    public InFlightHandler Handler { get; } = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(Handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}

public sealed class InFlightHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _inFlight;
    private int _max;

    public int MaxInFlight => Volatile.Read(ref _max);

    public void Reset() => Volatile.Write(ref _max, 0);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _inFlight);
        int seen;
        while (n > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, n, seen) != seen) { }
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}

/// <summary>The raw program: the same table layout, the fewest requests, no rules beyond the query's.</summary>
public sealed class RawMetrics(AmazonDynamoDBClient client)
{
    /// <summary>Creates the two tables, then times the writes: index rows, then points, in batches of 25. Drops the tables after.</summary>
    public async Task<double> WriteAsync(string prefix, List<MetricInput> data)
    {
        foreach (var (table, hash, range, rangeType) in new[] { (prefix + "datapoints", "key", "offset", ScalarAttributeType.N), (prefix + "datapoints_index", "dm", "bt", ScalarAttributeType.S) })
        {
            await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement(hash, KeyType.HASH), new KeySchemaElement(range, KeyType.RANGE)],
                AttributeDefinitions = [new AttributeDefinition(hash, ScalarAttributeType.S), new AttributeDefinition(range, rangeType)],
            });
        }
        var seconds = await Measure.SecondsAsync(() => WriteDataAsync(prefix, data));
        await DropAsync(prefix);
        return seconds;
    }

    /// <summary>Deletes every table whose name starts with the prefix, so dynalite does not hold every run's data.</summary>
    public async Task DropAsync(string prefix)
    {
        var tables = new List<string>();
        string? after = null;
        do
        {
            var page = await client.ListTablesAsync(new ListTablesRequest { ExclusiveStartTableName = after });
            tables.AddRange(page.TableNames ?? []);
            after = page.LastEvaluatedTableName;
        }
        while (after is not null);
        foreach (var t in tables.Where(t => t.StartsWith(prefix, StringComparison.Ordinal))) await client.DeleteTableAsync(t);
    }

    private async Task WriteDataAsync(string prefix, List<MetricInput> data)
    {
        var retention = (long)TimeSpan.FromDays(30).TotalSeconds;
        var index = new Dictionary<string, WriteRequest>();
        var puts = new List<WriteRequest>(data.Count);
        foreach (var d in data)
        {
            var ms = d.Timestamp!.Value.ToUnixTimeMilliseconds();
            var bt = ms - ms % 3_600_000;
            var tags = $"dc=eu;host={d.Tags![0].Value}";
            var btKey = bt.ToString("D15", CultureInfo.InvariantCulture) + "|" + tags;
            index.TryAdd(btKey, new WriteRequest(new PutRequest(new()
            {
                ["dm"] = new AttributeValue { S = "default|bench.cpu" }, ["bt"] = new AttributeValue { S = btKey },
                ["expires"] = new AttributeValue { N = ((bt + 3_600_000) / 1000 + retention).ToString(CultureInfo.InvariantCulture) },
            })));
            puts.Add(new WriteRequest(new PutRequest(new()
            {
                ["key"] = new AttributeValue { S = $"default|bench.cpu|{bt}|{tags}" },
                ["offset"] = new AttributeValue { N = (ms - bt).ToString(CultureInfo.InvariantCulture) },
                ["value"] = new AttributeValue { N = ((decimal)d.Value!).ToString(CultureInfo.InvariantCulture) },
                ["expires"] = new AttributeValue { N = (ms / 1000 + retention).ToString(CultureInfo.InvariantCulture) },
            })));
        }
        await BatchAsync(prefix + "datapoints_index", index.Values.ToList());
        await BatchAsync(prefix + "datapoints", puts);
    }

    /// <summary>The index range, then every column of every stream with 8 in flight, then 1-minute averages per stream.</summary>
    public async Task<int> QueryAsync(string prefix, DateTimeOffset start, DateTimeOffset end)
    {
        var startMs = start.ToUnixTimeMilliseconds();
        var endMs = end.ToUnixTimeMilliseconds();
        var entries = new List<string>();
        var q = new QueryRequest
        {
            TableName = prefix + "datapoints_index", KeyConditionExpression = "#dm = :dm AND #bt BETWEEN :a AND :b",
            ExpressionAttributeNames = new() { ["#dm"] = "dm", ["#bt"] = "bt" },
            ExpressionAttributeValues = new()
            {
                [":dm"] = new AttributeValue { S = "default|bench.cpu" },
                [":a"] = new AttributeValue { S = (startMs - startMs % 3_600_000).ToString("D15", CultureInfo.InvariantCulture) + "|" },
                [":b"] = new AttributeValue { S = (endMs - endMs % 3_600_000).ToString("D15", CultureInfo.InvariantCulture) + "}" },
            },
        };
        do
        {
            var page = await client.QueryAsync(q);
            entries.AddRange((page.Items ?? []).Select(i => i["bt"].S));
            q.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (q.ExclusiveStartKey is not null);
        var columns = entries.Select(e => (Bt: long.Parse(e[..15], CultureInfo.InvariantCulture), Tags: e[16..]))
            .OrderBy(c => c.Tags, StringComparer.Ordinal).ThenBy(c => c.Bt).ToList();
        var lists = new List<(long Time, decimal Value)>[columns.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, columns.Count), new ParallelOptions { MaxDegreeOfParallelism = MetricsBench.InFlightBound }, async (i, ct) =>
        {
            var (bt, tags) = columns[i];
            var list = new List<(long, decimal)>();
            var r = new QueryRequest
            {
                TableName = prefix + "datapoints", KeyConditionExpression = "#k = :k AND #o BETWEEN :a AND :b",
                ExpressionAttributeNames = new() { ["#k"] = "key", ["#o"] = "offset" },
                ExpressionAttributeValues = new()
                {
                    [":k"] = new AttributeValue { S = $"default|bench.cpu|{bt}|{tags}" },
                    [":a"] = new AttributeValue { N = Math.Max(0, startMs - bt).ToString(CultureInfo.InvariantCulture) },
                    [":b"] = new AttributeValue { N = Math.Min(3_599_999, endMs - bt).ToString(CultureInfo.InvariantCulture) },
                },
            };
            do
            {
                var page = await client.QueryAsync(r, ct);
                foreach (var item in page.Items ?? [])
                    list.Add((bt + long.Parse(item["offset"].N, CultureInfo.InvariantCulture), decimal.Parse(item["value"].N, CultureInfo.InvariantCulture)));
                r.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (r.ExclusiveStartKey is not null);
            lists[i] = list;
        });
        return columns.Select((c, i) => (c.Tags, List: lists[i])).GroupBy(c => c.Tags)
            .Sum(g => g.SelectMany(c => c.List).GroupBy(p => p.Time - p.Time % 60_000).Select(w => w.Average(p => p.Value)).Count());
    }

    private async Task BatchAsync(string table, List<WriteRequest> writes)
    {
        for (var i = 0; i < writes.Count; i += 25)
        {
            var batch = writes.GetRange(i, Math.Min(25, writes.Count - i));
            while (batch.Count > 0)
            {
                var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = batch } });
                batch = response.UnprocessedItems is { } left && left.TryGetValue(table, out var u) ? u : [];
            }
        }
    }
}
