using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cimaa.Testing;

namespace Cimaa.Bench;

/// <summary>
/// Set-CimaaFault for 1,000 agents x 5 faults, and Get-CimaaStaleAgent over 10,000 agents, each against a hand-written AWSSDK
/// program that sends the same minimal requests with the same concurrency, on the same dynalite.
/// </summary>
public sealed class DynamoBench(BenchHost host) : IDisposable
{
    /// <summary>The cmdlet writes 8 agents at a time (DynamoDbStore.WriteConcurrency); the baseline uses the same.</summary>
    public const int Concurrency = 8;

    private readonly DynaliteServer _server = DynaliteServer.Shared;
    private readonly AmazonDynamoDBClient _client = new(new BasicAWSCredentials("bench", "bench"),
        new AmazonDynamoDBConfig { ServiceURL = DynaliteServer.Shared.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
    private int _prefixes;

    public IReadOnlyDictionary<string, long> LastRequests { get; private set; } = new Dictionary<string, long>();

    private string NewPrefix()
    {
        var prefix = $"b{Environment.ProcessId}x{Interlocked.Increment(ref _prefixes)}";
        host.Run("Connect-Cimaa -EndpointUrl $e -TablePrefix $p; Initialize-CimaaTable | Out-Null", new Dictionary<string, object> { ["e"] = _server.Endpoint, ["p"] = prefix });
        return prefix + ".";
    }

    public async Task<Result> WritesAsync(int agents, int faults, int runs)
    {
        host.Run("""
            $global:objs = foreach ($a in 0..($n - 1)) { foreach ($j in 0..($f - 1)) { [pscustomobject]@{ Agent = "agent$a"; Name = "check$j"; Severity = 40; Message = "m" } } }
            """, new Dictionary<string, object> { ["n"] = agents, ["f"] = faults });
        await CmdletWrite(); // warm-up: JIT and connection pools on both sides
        await RawWrite(NewPrefix(), agents, faults);
        var medians = await Measure.PairAsync(runs, _ => CmdletWrite(), _ => RawWrite(NewPrefix(), agents, faults));
        var r = LastRequests;
        var note = $"requests per run: Query {r.GetValueOrDefault("Query")}, BatchWriteItem {r.GetValueOrDefault("BatchWriteItem")}, PutItem {r.GetValueOrDefault("PutItem")} " +
                   $"(contract: {agents} + {agents}·ceil({faults}/25) + {agents} heartbeats); concurrency {Concurrency}";
        return Measure.Ratio($"Writes on DynamoDB ({agents} agents x {faults} faults)", medians, 1.25, note);

        Task<double> CmdletWrite()
        {
            var prefix = NewPrefix().TrimEnd('.');
            var vars = new Dictionary<string, object> { ["e"] = _server.Endpoint, ["p"] = prefix };
            host.Run("Connect-Cimaa -EndpointUrl $e -TablePrefix $p", vars);
            var seconds = host.Time("$global:objs | Set-CimaaFault");
            LastRequests = (IReadOnlyDictionary<string, long>)host.Run("(Get-CimaaConnection).Requests")[0].BaseObject;
            return Task.FromResult(seconds);
        }
    }

    private Task<double> RawWrite(string prefix, int agents, int faults) => Measure.SecondsAsync(async () =>
    {
        var table = prefix + "faults";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Parallel.ForEachAsync(Enumerable.Range(0, agents), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (a, ct) =>
        {
            var agent = $"agent{a}";
            await _client.QueryAsync(new QueryRequest
            {
                TableName = table, KeyConditionExpression = "#a = :a",
                ExpressionAttributeNames = new() { ["#a"] = "agent" }, ExpressionAttributeValues = new() { [":a"] = new() { S = agent } },
            }, ct);
            var puts = Enumerable.Range(0, faults).Select(j => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                ["agent"] = new() { S = agent }, ["name"] = new() { S = $"check{j}" }, ["severity"] = new() { N = "40" },
                ["message"] = new() { S = "m" }, ["since"] = new() { N = now }, ["updated"] = new() { N = now },
            }))).ToList();
            for (var i = 0; i < puts.Count; i += 25)
            {
                await _client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = puts.Skip(i).Take(25).ToList() } }, ct);
            }
            await _client.PutItemAsync(new PutItemRequest(table, new Dictionary<string, AttributeValue>
            {
                ["agent"] = new() { S = "_" }, ["name"] = new() { S = agent }, ["updated"] = new() { N = now },
            }), ct);
        });
    });

    public async Task<Result> StaleAsync(int agents, int runs)
    {
        var prefix = NewPrefix();
        var table = prefix + "faults";
        var old = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var rows = Enumerable.Range(0, agents).Select(i => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
        {
            ["agent"] = new() { S = "_" }, ["name"] = new() { S = $"agent{i:D5}" }, ["updated"] = new() { N = (old - i % 600).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        }))).Chunk(25).ToList();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (chunk, ct) =>
            await _client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = new() { [table] = chunk.ToList() } }, ct));
        var vars = new Dictionary<string, object> { ["e"] = _server.Endpoint, ["p"] = prefix.TrimEnd('.') };
        host.Run("Connect-Cimaa -EndpointUrl $e -TablePrefix $p", vars);
        var counts = (0L, 0L);
        // Each run takes about 0.1 s, so many runs are cheap, and a warm-up pair keeps JIT out of the figure.
        host.Time("$global:stale = @(Get-CimaaStaleAgent -OlderThan 60).Count");
        await RawStale(table);
        runs = Math.Max(runs, 15);
        var medians = await Measure.PairAsync(runs,
            _ => Task.FromResult(host.Time("$global:stale = @(Get-CimaaStaleAgent -OlderThan 60).Count")),
            async _ => await Measure.SecondsAsync(async () => counts = await RawStale(table)));
        var found = (int)host.Run("$global:stale")[0].BaseObject;
        if (found != agents || counts.Item1 != agents) throw new InvalidOperationException($"stale agents: cmdlet {found}, raw {counts.Item1}, expected {agents}");
        StaleCoreOnly = await CoreStaleAsync(prefix, agents, runs);
        return Measure.Ratio($"Stale agents ({agents} agents)", medians, 1.2, $"median of {runs} runs after a warm-up; LSI Query pages per run: {counts.Item2}; no Scan");
    }

    /// <summary>The same query through Cimaa.Core without PowerShell, against the same raw loop: Core's share of the figure.</summary>
    public Result? StaleCoreOnly { get; private set; }

    private async Task<Result> CoreStaleAsync(string prefix, int agents, int runs)
    {
        var settings = new Cimaa.Storage.ConnectionSettings
        {
            Kind = Cimaa.Storage.StoreKind.DynamoDB, EndpointUrl = _server.Endpoint, Region = "us-east-1",
            AccessKeyId = "bench", SecretAccessKey = "bench", TablePrefix = prefix,
        };
        await using var store = Cimaa.Storage.StoreFactory.Open(settings);
        var service = store.Agents;
        var table = prefix + "faults";
        var n = 0;
        await foreach (var _ in service.GetStaleAsync(TimeSpan.FromSeconds(60), Cimaa.OpContext.None)) { }
        runs = Math.Max(runs, 15);
        var medians = await Measure.PairAsync(runs,
            _ => Measure.SecondsAsync(async () => { n = 0; await foreach (var _ in service.GetStaleAsync(TimeSpan.FromSeconds(60), Cimaa.OpContext.None)) n++; }),
            _ => Measure.SecondsAsync(() => RawStale(table)));
        if (n != agents) throw new InvalidOperationException($"Core found {n} stale agents, expected {agents}");
        return Measure.Ratio($"Stale agents, Cimaa.Core only ({agents} agents)", medians, 1.2,
            "no PowerShell: splits the figure above into Core's share and the pipeline's per-object cost");
    }

    private async Task<(long Items, long Pages)> RawStale(string table)
    {
        var request = new QueryRequest
        {
            TableName = table, IndexName = "updated", KeyConditionExpression = "#a = :a AND #u < :c",
            ExpressionAttributeNames = new() { ["#a"] = "agent", ["#u"] = "updated" },
            ExpressionAttributeValues = new() { [":a"] = new() { S = "_" }, [":c"] = new() { N = DateTimeOffset.UtcNow.AddSeconds(-60).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        };
        long items = 0, pages = 0;
        do
        {
            var response = await _client.QueryAsync(request);
            pages++;
            foreach (var item in response.Items ?? [])
            {
                // Build what the cmdlet builds: the agent name and its last-seen time.
                _ = (item["name"].S, DateTimeOffset.FromUnixTimeSeconds(long.Parse(item["updated"].N, System.Globalization.CultureInfo.InvariantCulture)));
                items++;
            }
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } k ? k : null;
        }
        while (request.ExclusiveStartKey is not null);
        return (items, pages);
    }

    public void Dispose() => _client.Dispose();
}
