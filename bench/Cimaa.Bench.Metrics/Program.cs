using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cimaa;
using Cimaa.Metrics;
using Cimaa.Storage;
using Cimaa.Testing;

// Cimaa's metric store against a raw-AWSSDK program sending the same requests, in one process, on one dynalite.
// Usage: dotnet run -c Release --project bench/Cimaa.Bench.Metrics [-- <points> <streams> <runs> <results.md>]
var points = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var streams = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
var output = args.Length > 3 ? args[3] : Path.Combine(RepoPaths.Root, "bench", "results", "metrics.md");

using var dynalite = DynaliteServer.Start();
var now = DateTimeOffset.UtcNow;
var end = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60);
var start = end.AddHours(-24);
var spacingMs = 24 * 3_600_000L * streams / points; // each stream's points spread evenly over the 24 hours
var data = Enumerable.Range(0, points).Select(i => new MetricInput("bench.cpu", (decimal)(i % 1000) / 10m,
    [new KeyValuePair<object?, object?>("host", $"web{i % streams:D3}"), new KeyValuePair<object?, object?>("dc", "eu")],
    start.AddMilliseconds(i / streams * spacingMs + (i % streams)), null)).ToList();
Console.WriteLine($"dynalite on {dynalite.Endpoint}; {points} points, {streams} streams, {runs} runs");

// Warm-up (untimed): JIT, the SDK's first-use costs and dynalite's, for both programs.
var full = data;
data = full.Take(Math.Min(2_000, full.Count)).ToList();
await CimaaRun(0);
await RawRun(0);
data = full;

var results = new List<(string Case, double Cimaa, double Raw)>();
var cw = new List<double>(); var rw = new List<double>(); var cq = new List<double>(); var rq = new List<double>();
for (var run = 1; run <= runs; run++)
{
    // Alternate which program goes first, so neither always meets a fresher dynalite.
    (double, double, int) c, r;
    if (run % 2 == 1) { c = await CimaaRun(run); r = await RawRun(run); }
    else { r = await RawRun(run); c = await CimaaRun(run); }
    var (cimaaWrite, cimaaQuery, cimaaPoints) = c;
    var (rawWrite, rawQuery, rawPoints) = r;
    if (cimaaPoints != rawPoints) throw new InvalidOperationException($"The programs disagree: Cimaa {cimaaPoints} windows, raw {rawPoints}.");
    Console.WriteLine($"run {run}: write {cimaaWrite:0} ms vs {rawWrite:0} ms; query {cimaaQuery:0} ms vs {rawQuery:0} ms ({cimaaPoints} windows)");
    cw.Add(cimaaWrite); rw.Add(rawWrite); cq.Add(cimaaQuery); rq.Add(rawQuery);
}
results.Add(($"Write {points:N0} points ({streams} streams, batches of 25)", Median(cw), Median(rw)));
results.Add(($"Query 24 h, 1-minute downsampling (avg), {streams} streams", Median(cq), Median(rq)));

var lines = new List<string>
{
    "# Metrics benchmark",
    "",
    $"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
        $".NET {Environment.Version}, dynalite (in memory, one process). Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.",
    "",
    "Command: `dotnet run -c Release --project bench/Cimaa.Bench.Metrics" + (args.Length > 0 ? " -- " + string.Join(" ", args.Take(3)) : "") + "`",
    "",
    $"Medians of {runs} runs. The baseline is a raw-AWSSDK program sending the same requests (BatchWriteItem of 25, the index Query,",
    "then one Query per hour column with 8 in flight) in the same process against the same dynalite. Ratio = Cimaa / raw.",
    "",
    "| Case | Cimaa (ms) | Raw AWSSDK (ms) | Ratio |",
    "|---|---:|---:|---:|",
};
foreach (var (name, c, r) in results) lines.Add($"| {name} | {c:0} | {r:0} | {c / r:0.00} |");
foreach (var l in lines.Skip(lines.Count - results.Count)) Console.WriteLine(l);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllLinesAsync(output, lines);
Console.WriteLine($"Wrote {output}");
return 0;

async Task<(double Write, double Query, int Points)> CimaaRun(int run)
{
    var settings = new ConnectionSettings
    {
        Kind = StoreKind.DynamoDB, EndpointUrl = dynalite.Endpoint, Region = "us-east-1", AccessKeyId = "AKIDBENCH", SecretAccessKey = "bench",
        TablePrefix = $"cimaa{run}.",
    };
    await using var store = StoreFactory.Open(settings);
    await foreach (var _ in store.Tables.InitializeAsync(new TableOptions(), OpContext.None)) { }
    var service = store.Metrics;
    var sw = Stopwatch.StartNew();
    await service.WriteAsync(MetricValidation.Validate(data, now), OpContext.None);
    var write = sw.Elapsed.TotalMilliseconds;
    sw.Restart();
    var n = 0;
    await foreach (var _ in service.QueryAsync(new MetricQuery(["bench.cpu"], start, end, Downsample: TimeSpan.FromMinutes(1)), OpContext.None)) n++;
    var query = sw.Elapsed.TotalMilliseconds;
    await DropAsync(settings.TablePrefix);
    return (write, query, n);
}

async Task<(double Write, double Query, int Points)> RawRun(int run)
{
    var prefix = $"raw{run}.";
    using var client = Client();
    foreach (var (table, hash, range, rangeType) in new[] { (prefix + "datapoints", "key", "offset", ScalarAttributeType.N), (prefix + "datapoints_index", "dm", "bt", ScalarAttributeType.S) })
    {
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table, BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement(hash, KeyType.HASH), new KeySchemaElement(range, KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition(hash, ScalarAttributeType.S), new AttributeDefinition(range, rangeType)],
        });
    }
    var retention = (long)TimeSpan.FromDays(30).TotalSeconds;
    var sw = Stopwatch.StartNew();
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
    await BatchAsync(client, prefix + "datapoints_index", index.Values.ToList());
    await BatchAsync(client, prefix + "datapoints", puts);
    var write = sw.Elapsed.TotalMilliseconds;

    sw.Restart();
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
    var columns = entries.Select(e => (Bt: long.Parse(e[..15], CultureInfo.InvariantCulture), Tags: e[16..])).ToList();
    var windows = 0;
    foreach (var stream in columns.GroupBy(c => c.Tags).OrderBy(g => g.Key, StringComparer.Ordinal))
    {
        var lists = new List<(long Time, decimal Value)>[stream.Count()];
        var ordered = stream.OrderBy(c => c.Bt).ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, ordered.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var (bt, tags) = ordered[i];
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
        windows += lists.SelectMany(l => l).GroupBy(p => p.Time - p.Time % 60_000).Select(g => g.Average(p => p.Value)).Count();
    }
    var query = sw.Elapsed.TotalMilliseconds;
    await DropAsync(prefix);
    return (write, query, windows);
}

async Task BatchAsync(AmazonDynamoDBClient client, string table, List<WriteRequest> writes)
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

AmazonDynamoDBClient Client() => new(new BasicAWSCredentials("AKIDBENCH", "bench"),
    new AmazonDynamoDBConfig { ServiceURL = dynalite.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

async Task DropAsync(string prefix)
{
    using var client = Client();
    var tables = (await client.ListTablesAsync()).TableNames ?? [];
    foreach (var t in tables.Where(t => t.StartsWith(prefix, StringComparison.Ordinal))) await client.DeleteTableAsync(t);
}

static double Median(List<double> values)
{
    var s = values.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}
