using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Cimaa.Bench;

/// <summary>
/// Set-CimaaFault and Get-CimaaStaleAgent on dynalite, each against its floor: a hand-written AWSSDK program sending the fewest
/// requests the contract allows, plus what PowerShell itself costs for the same pipeline (bench/FloorModule).
/// </summary>
public sealed class DynamoBench(BenchHost host, Uri endpoint) : IDisposable
{
    /// <summary>The cmdlet writes 8 agents at a time (the store's WriteConcurrency); the raw program uses the same.</summary>
    public const int Concurrency = 8;

    private readonly AmazonDynamoDBClient _client = new(new BasicAWSCredentials("bench", "bench"),
        new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
    private int _prefixes;

    /// <summary>A fresh table prefix, its tables created by Initialize-CimaaTable; the session is connected to it.</summary>
    public string NewPrefix()
    {
        var prefix = $"b{Environment.ProcessId}x{Interlocked.Increment(ref _prefixes)}";
        host.Run("Connect-Cimaa -EndpointUrl $e -TablePrefix $p; Initialize-CimaaTable | Out-Null", new Dictionary<string, object> { ["e"] = endpoint, ["p"] = prefix });
        return prefix;
    }

    public void Connect(string prefix) =>
        host.Run("Connect-Cimaa -EndpointUrl $e -TablePrefix $p", new Dictionary<string, object> { ["e"] = endpoint, ["p"] = prefix });

    /// <summary>Makes $global:objs: <paramref name="agents"/> x <paramref name="faults"/> fault records, as an agent's checks pipe them.</summary>
    public static void MakeFaultRecords(BenchHost host, int agents, int faults) => host.Run("""
        $global:objs = foreach ($a in 0..($n - 1)) { foreach ($j in 0..($f - 1)) { [pscustomobject]@{ Agent = "agent$a"; Name = "check$j"; Severity = 40; Message = "m" } } }
        """, new Dictionary<string, object> { ["n"] = agents, ["f"] = faults });

    /// <summary>PowerShell's share: the same records piped into a compiled cmdlet binding the same parameters, doing nothing.</summary>
    public static double BindFloor(BenchHost host) => host.Time("$global:objs | Set-FloorFault");

    public async Task<Result> WritesAsync(int agents, int faults, int runs)
    {
        IReadOnlyDictionary<string, long> requests = new Dictionary<string, long>();
        MakeFaultRecords(host, agents, faults);
        await CmdletWrite(); // warm-up: JIT and connection pools on both sides
        await RawWrite(NewPrefix(), agents, faults);
        BindFloor(host);
        var results = await Measure.FloorAsync(runs, CmdletWrite, () => RawWrite(NewPrefix(), agents, faults), () => BindFloor(host));
        var batches = (faults + 1 + 24) / 25;
        var note = $"requests per run: {string.Join(", ", requests.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}"))}; " +
                   $"the floor sends Query {agents}, BatchWriteItem {agents * batches} (1 Query + ceil(({faults} + 1) / 25) BatchWriteItem per agent, " +
                   $"the heartbeat in the last batch); concurrency {Concurrency}";
        return Measure.FloorRow($"Set-CimaaFault on DynamoDB (dynalite), {agents:N0} agents x {faults} faults", results, 1.25,
            "raw AWSSDK", "binding", note) with { Profile = "dynamo-writes" };

        Task<double> CmdletWrite()
        {
            Connect(NewPrefix()); // a fresh connection, so its request counter holds the pipeline's requests only
            var seconds = host.Time("$global:objs | Set-CimaaFault");
            requests = (IReadOnlyDictionary<string, long>)host.Run("(Get-CimaaConnection).Requests")[0].BaseObject;
            return Task.FromResult(seconds);
        }
    }

    /// <summary>The floor of a write: per agent, 1 Query, then the puts in batches of 25 with the heartbeat in the last one.</summary>
    private Task<double> RawWrite(string prefix, int agents, int faults) => Measure.SecondsAsync(async () =>
    {
        var table = prefix + ".faults";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await Parallel.ForEachAsync(Enumerable.Range(0, agents), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (a, ct) =>
        {
            var agent = $"agent{a}";
            await _client.QueryAsync(new QueryRequest
            {
                TableName = table, KeyConditionExpression = "#a = :a",
                ExpressionAttributeNames = new() { ["#a"] = "agent" }, ExpressionAttributeValues = new() { [":a"] = new() { S = agent } },
            }, ct);
            var writes = Enumerable.Range(0, faults).Select(j => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                ["agent"] = new() { S = agent }, ["name"] = new() { S = $"check{j}" }, ["severity"] = new() { N = "40" },
                ["message"] = new() { S = "m" }, ["since"] = new() { N = now }, ["updated"] = new() { N = now },
            }))).ToList();
            writes.Add(new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                ["agent"] = new() { S = "_" }, ["name"] = new() { S = agent }, ["updated"] = new() { N = now },
            })));
            foreach (var batch in writes.Chunk(25))
            {
                await _client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = batch.ToList() } }, ct);
            }
        });
    });

    /// <summary>Heartbeats of <paramref name="agents"/> agents, all an hour old or more, in a fresh table; returns its prefix.</summary>
    public async Task<string> SeedHeartbeatsAsync(int agents)
    {
        var prefix = NewPrefix();
        var old = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var rows = Enumerable.Range(0, agents).Select(i => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
        {
            ["agent"] = new() { S = "_" }, ["name"] = new() { S = $"agent{i:D5}" }, ["updated"] = new() { N = (old - i % 600).ToString(CultureInfo.InvariantCulture) },
        }))).Chunk(25).ToList();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (chunk, ct) =>
            await _client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [prefix + ".faults"] = chunk.ToList() } }, ct));
        return prefix;
    }

    public const string StaleScript = "$global:stale = @(Get-CimaaStaleAgent -OlderThan 60).Count";

    public async Task<Result> StaleAsync(int agents, int runs)
    {
        var prefix = await SeedHeartbeatsAsync(agents);
        var table = prefix + ".faults";
        Connect(prefix);
        (long Items, long Pages) counts = (0, 0);
        var emit = $"$global:floor = @(Get-FloorAgent {agents}).Count";
        // A warm-up of each keeps JIT out of the figures; each run is short, so many runs are cheap.
        host.Time(StaleScript);
        host.Time(emit);
        await RawStale(table);
        runs = Math.Max(runs, 15);
        var results = await Measure.FloorAsync(runs,
            () => Task.FromResult(host.Time(StaleScript)),
            async () => await Measure.SecondsAsync(async () => counts = await RawStale(table)),
            () => host.Time(emit));
        var found = (int)host.Run("$global:stale")[0].BaseObject;
        if (found != agents || counts.Items != agents) throw new InvalidOperationException($"stale agents: cmdlet {found}, raw {counts.Items}, expected {agents}");
        return Measure.FloorRow($"Get-CimaaStaleAgent over {agents:N0} heartbeats (dynalite)", results, 1.2, "raw paged LSI Query loop", "emitting",
            $"LSI Query pages per run: {counts.Pages}; no Scan") with { Profile = $"stale-{agents}" };
    }

    /// <summary>The same query through Cimaa.Core without PowerShell, against the same raw loop: Core's share of the figure.</summary>
    public async Task<Result> CoreStaleAsync(int agents, int runs)
    {
        var prefix = await SeedHeartbeatsAsync(agents);
        var settings = new Cimaa.Storage.ConnectionSettings
        {
            Kind = Cimaa.Storage.StoreKind.DynamoDB, EndpointUrl = endpoint, Region = "us-east-1",
            AccessKeyId = "bench", SecretAccessKey = "bench", TablePrefix = prefix + ".",
        };
        await using var store = Cimaa.Storage.StoreFactory.Open(settings);
        var service = store.Agents;
        var n = 0;
        await foreach (var _ in service.GetStaleAsync(TimeSpan.FromSeconds(60), Cimaa.OpContext.None)) { }
        runs = Math.Max(runs, 15);
        var results = await Measure.FloorAsync(runs,
            () => Measure.SecondsAsync(async () => { n = 0; await foreach (var _ in service.GetStaleAsync(TimeSpan.FromSeconds(60), Cimaa.OpContext.None)) n++; }),
            () => Measure.SecondsAsync(() => RawStale(prefix + ".faults")), null);
        if (n != agents) throw new InvalidOperationException($"Core found {n} stale agents, expected {agents}");
        return Measure.FloorRow($"Stale agents through Cimaa.Core only, {agents:N0} heartbeats", results, 1.2, "raw paged LSI Query loop", "",
            "no PowerShell: Core's share of the row above") with { Profile = $"stale-{agents}" };
    }

    /// <summary>The floor of the stale query: the LSI Query, paged, building what the cmdlet builds from each item.</summary>
    public async Task<(long Items, long Pages)> RawStale(string table)
    {
        var request = new QueryRequest
        {
            TableName = table, IndexName = "updated", KeyConditionExpression = "#a = :a AND #u < :c",
            ExpressionAttributeNames = new() { ["#a"] = "agent", ["#u"] = "updated" },
            ExpressionAttributeValues = new() { [":a"] = new() { S = "_" }, [":c"] = new() { N = DateTimeOffset.UtcNow.AddSeconds(-60).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) } },
        };
        long items = 0, pages = 0;
        do
        {
            var response = await _client.QueryAsync(request);
            pages++;
            foreach (var item in response.Items ?? [])
            {
                // What the cmdlet builds: the agent name and its last-seen time.
                _ = (item["name"].S, DateTimeOffset.FromUnixTimeSeconds(long.Parse(item["updated"].N, CultureInfo.InvariantCulture)));
                items++;
            }
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } k ? k : null;
        }
        while (request.ExclusiveStartKey is not null);
        return (items, pages);
    }

    public void Dispose() => _client.Dispose();
}
