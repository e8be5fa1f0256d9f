using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cimaa.Metrics;
using Cimaa.Storage;
using Microsoft.Data.Sqlite;

namespace Cimaa.Bench;

/// <summary>One size of the cost curve: the median time of 3 runs with their min-max, and the peak memory growth over the runs.</summary>
public sealed record CurveRow(string Cmdlet, string Store, string Size, long Items, double Seconds, double MinSeconds, double MaxSeconds,
    double HeapMb, double WorkingSetMb, string Goal, bool Met);

/// <summary>
/// The cost curve: Set-CimaaFault, Get-CimaaFault and Get-CimaaMetric at 1x, 10x and 100x of their base workloads, each size in a
/// fresh process (import, connect, a small warm-up, then 3 timed runs while a sampler records the peak of the managed heap and of the
/// working set over what the warmed process held). Time should grow linearly with the data, memory not at all.
/// </summary>
public static class CurveBench
{
    private const int Streams = 10;
    private const int FaultsPerAgentRead = 10;
    private const int FaultsPerAgentWritten = 5;
    private const double LinearSlack = 1.25;
    private const double FlatMb = 50;
    private static readonly int[] Agents = [100, 1_000, 10_000];
    private static readonly (string Label, int Minutes)[] Ranges = [("1 h", 60), ("24 h", 1_440), ("7 d", 10_080)];

    public static async Task<List<CurveRow>> RunAsync(Uri endpoint, string folder, bool sqliteOnly)
    {
        var rows = new List<CurveRow>();
        var end = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600);
        foreach (var store in sqliteOnly ? new[] { "SQLite" } : ["SQLite", "DynamoDB"])
        {
            Console.WriteLine($"Cost curve on {store} ...");
            var target = (string size) => store == "SQLite" ? Path.Combine(folder, $"curve-{size}.db") : $"{endpoint}|c{Environment.ProcessId}{size}";
            foreach (var agents in Agents) await SeedFaultsAsync(target($"f{agents}"), agents);
            await SeedMetricsAsync(target("m"), end);
            rows.AddRange(Judge(Agents.Select(a => Spawn("Set-CimaaFault", store, $"{a:N0} agents", a * FaultsPerAgentWritten,
                "set", target($"s{a}"), a.ToString(CultureInfo.InvariantCulture))).ToList()));
            rows.AddRange(Judge(Agents.Select(a => Spawn("Get-CimaaFault", store, $"{a:N0} agents", a * FaultsPerAgentRead,
                "get-fault", target($"f{a}"), "0")).ToList()));
            rows.AddRange(Judge(Ranges.Select(r => Spawn("Get-CimaaMetric", store, r.Label, Streams * r.Minutes,
                "get-metric", target("m"), $"{end.ToUnixTimeSeconds()}:{r.Minutes}")).ToList()));
        }
        return rows;
    }

    /// <summary>
    /// Time linear: per item at most 1.25x the size before. Memory flat for the reads: under 50 MB of growth at every size.
    /// Set-CimaaFault validates all its input before it writes anything (the contract), so it holds what it was given: its memory
    /// may grow with the input, but per item no faster than at the size before (1.25x) — linear, never more.
    /// </summary>
    private static IEnumerable<CurveRow> Judge(List<CurveRow> sizes)
    {
        var holdsInput = sizes[0].Cmdlet == "Set-CimaaFault";
        for (var i = 0; i < sizes.Count; i++)
        {
            var s = sizes[i];
            var previous = i == 0 ? null : sizes[i - 1];
            var linear = previous is null || s.Seconds / s.Items <= LinearSlack * previous.Seconds / previous.Items;
            var memory = holdsInput
                ? previous is null || Math.Max(s.HeapMb, s.WorkingSetMb) / s.Items <= LinearSlack * Math.Max(previous.HeapMb, previous.WorkingSetMb) / previous.Items
                : s.HeapMb < FlatMb && s.WorkingSetMb < FlatMb;
            var memoryGoal = holdsInput ? $"memory per item ≤ {LinearSlack:0.##}× the size before (input held by contract)" : $"memory < {FlatMb:0} MB";
            var goal = previous is null ? (holdsInput ? "base size" : memoryGoal) : $"time per item ≤ {LinearSlack:0.##}× the size before; {memoryGoal}";
            yield return s with { Goal = goal, Met = linear && memory };
        }
    }

    private static CurveRow Spawn(string cmdlet, string store, string size, long items, string kind, string target, string arg)
    {
        Console.WriteLine($"  {cmdlet} on {store}, {size}");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(CurveBench).Assembly.Location, "--curve", kind, target, arg }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (p.ExitCode != 0 || line is null) throw new InvalidOperationException($"curve child {kind} {arg} failed: {err.Result}");
        var parts = line.Split(' ');
        var times = parts[1].Split(',').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToList();
        return new CurveRow(cmdlet, store, size, items, Measure.Median(times), times.Min(), times.Max(),
            double.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture), "", false);
    }

    /// <summary>The child: import, connect, warm up on a small case, then 3 timed runs under the memory sampler. Prints "RESULT t1,t2,t3 heapMB wsMB".</summary>
    public static async Task<int> Child(string[] args)
    {
        var (kind, target, arg) = (args[0], args[1], args[2]);
        using var host = new BenchHost();
        if (target.Contains('|'))
        {
            var at = target.Split('|');
            host.Run("Connect-Cimaa -EndpointUrl $e -TablePrefix $p", new Dictionary<string, object> { ["e"] = at[0], ["p"] = at[1] });
        }
        else host.Run("Connect-Cimaa -Path $p", new Dictionary<string, object> { ["p"] = target });
        string script;
        switch (kind)
        {
            case "set":
                host.Run("Initialize-CimaaTable | Out-Null");
                DynamoBench.MakeFaultRecords(host, 2, FaultsPerAgentWritten);
                host.Run("$global:objs | ForEach-Object { $_.Agent = 'warm' + $_.Agent; $_ } | Set-CimaaFault");
                DynamoBench.MakeFaultRecords(host, int.Parse(arg, CultureInfo.InvariantCulture), FaultsPerAgentWritten);
                script = "$global:objs | Set-CimaaFault";
                break;
            case "get-fault":
                host.Run("Get-CimaaFault -Agent agent00000 | Out-Null");
                script = "Get-CimaaFault | Out-Null";
                break;
            case "get-metric":
                var (end, minutes) = (long.Parse(arg.Split(':')[0], CultureInfo.InvariantCulture), int.Parse(arg.Split(':')[1], CultureInfo.InvariantCulture));
                var vars = new Dictionary<string, object> { ["s"] = DateTimeOffset.FromUnixTimeSeconds(end - 600), ["e"] = DateTimeOffset.FromUnixTimeSeconds(end) };
                host.Run("Get-CimaaMetric bench.cpu -Start $s -End $e -Downsample 00:01:00 | Out-Null", vars);
                script = $"Get-CimaaMetric bench.cpu -Start '{DateTimeOffset.FromUnixTimeSeconds(end - minutes * 60L):o}' -End '{DateTimeOffset.FromUnixTimeSeconds(end):o}' -Downsample 00:01:00 | Out-Null";
                break;
            default:
                return 2;
        }
        using var sampler = MemorySampler.Start();
        var times = new List<double>();
        for (var i = 0; i < 3; i++) times.Add(host.Time(script));
        var (heapMb, wsMb) = sampler.Stop();
        await Task.CompletedTask;
        Console.WriteLine(Measure.Inv($"RESULT {string.Join(",", times.Select(t => t.ToString("0.0000", CultureInfo.InvariantCulture)))} {heapMb:0.0} {wsMb:0.0}"));
        return 0;
    }

    /// <summary>Agents agent00000.. with 10 faults each and a heartbeat, written raw in Cimaa's layout.</summary>
    private static async Task SeedFaultsAsync(string target, int agents)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!target.Contains('|'))
        {
            await (await InitializeAsync(new ConnectionSettings { Kind = StoreKind.Local, Path = target })).DisposeAsync();
            using var conn = new SqliteConnection($"Data Source={target};Pooling=False");
            conn.Open();
            using var tx = conn.BeginTransaction();
            using var put = conn.CreateCommand();
            put.Transaction = tx;
            put.CommandText = "INSERT INTO faults (agent, name, severity, message, since, updated, triggered) VALUES ($a, $n, 40, $m, $t, $t, 0)";
            var a = put.Parameters.Add("$a", SqliteType.Text);
            var n = put.Parameters.Add("$n", SqliteType.Text);
            put.Parameters.AddWithValue("$m", new string('x', 80));
            put.Parameters.AddWithValue("$t", now);
            using var beat = conn.CreateCommand();
            beat.Transaction = tx;
            beat.CommandText = "INSERT INTO heartbeats (agent, updated) VALUES ($a, $t)";
            var ba = beat.Parameters.Add("$a", SqliteType.Text);
            beat.Parameters.AddWithValue("$t", now);
            for (var i = 0; i < agents; i++)
            {
                a.Value = ba.Value = $"agent{i:D5}";
                beat.ExecuteNonQuery();
                for (var j = 0; j < FaultsPerAgentRead; j++)
                {
                    n.Value = $"check{j:D2}";
                    put.ExecuteNonQuery();
                }
            }
            tx.Commit();
            return;
        }
        var (endpoint, prefix) = (target.Split('|')[0], target.Split('|')[1]);
        await (await InitializeAsync(Dynamo(endpoint, prefix))).DisposeAsync();
        using var client = new AmazonDynamoDBClient(new BasicAWSCredentials("bench", "bench"),
            new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var t = now.ToString(CultureInfo.InvariantCulture);
        var items = Enumerable.Range(0, agents).SelectMany(i => Enumerable.Range(0, FaultsPerAgentRead).Select(j => new Dictionary<string, AttributeValue>
        {
            ["agent"] = new() { S = $"agent{i:D5}" }, ["name"] = new() { S = $"check{j:D2}" }, ["severity"] = new() { N = "40" },
            ["message"] = new() { S = new string('x', 80) }, ["since"] = new() { N = t }, ["updated"] = new() { N = t },
        }).Append(new() { ["agent"] = new() { S = "_" }, ["name"] = new() { S = $"agent{i:D5}" }, ["updated"] = new() { N = t } }));
        await Parallel.ForEachAsync(items.Chunk(25), new ParallelOptions { MaxDegreeOfParallelism = DynamoBench.Concurrency }, async (chunk, ct) =>
            await client.BatchWriteItemAsync(new BatchWriteItemRequest
            {
                RequestItems = new() { [prefix + ".faults"] = chunk.Select(i => new WriteRequest(new PutRequest(i))).ToList() },
            }, ct));
    }

    /// <summary>10 streams of bench.cpu, one point a minute for the 7 days before <paramref name="end"/>, written through Cimaa.Core.</summary>
    private static async Task SeedMetricsAsync(string target, DateTimeOffset end)
    {
        var settings = target.Contains('|') ? Dynamo(target.Split('|')[0], target.Split('|')[1]) : new ConnectionSettings { Kind = StoreKind.Local, Path = target };
        await using var store = await InitializeAsync(settings);
        var service = store.Metrics;
        var minutes = Ranges[^1].Minutes;
        for (var day = 0; day < minutes / 1440; day++)
        {
            var inputs = Enumerable.Range(day * 1440, 1440).SelectMany(m => Enumerable.Range(0, Streams).Select(s => new MetricInput("bench.cpu",
                (decimal)(m % 100), [new KeyValuePair<object?, object?>("host", $"web{s:D2}")], end.AddMinutes(-minutes + m).AddSeconds(s), null)));
            await service.WriteAsync(MetricValidation.Validate(inputs, DateTimeOffset.UtcNow), OpContext.None);
        }
    }

    private static ConnectionSettings Dynamo(string endpoint, string prefix) => new()
    {
        Kind = StoreKind.DynamoDB, EndpointUrl = new Uri(endpoint), Region = "us-east-1", AccessKeyId = "bench", SecretAccessKey = "bench",
        TablePrefix = prefix + ".",
    };

    private static async Task<CimaaClient> InitializeAsync(ConnectionSettings settings)
    {
        var store = StoreFactory.Open(settings);
        await foreach (var _ in store.Tables.InitializeAsync(new TableOptions(), OpContext.None)) { }
        return store;
    }
}
