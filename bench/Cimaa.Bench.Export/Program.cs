using System.Diagnostics;
using System.Globalization;
using Cimaa;
using Cimaa.Metrics;
using Cimaa.Storage;
using Cimaa.Testing;
using Microsoft.Data.Sqlite;

// Export and import of 100,000 faults and 1,000,000 datapoints on SQLite: time against a raw SELECT (and a raw SELECT +
// INSERT copy), and the peak working-set growth of each step, measured in a fresh child process after a warm-up.
// Usage: dotnet run -c Release --project bench/Cimaa.Bench.Export [-- [--only dynamo] <agents> <faults per agent> <streams> <points per stream>]
// With --only dynamo only the DynamoDB steps run, and only the DynamoDB part of bench/results/export.md is rewritten.
if (args.Length > 0 && args[0] == "--child") return await Child.RunAsync(args[1..]);
var onlyDynamo = args.Length > 1 && args[0] == "--only" && args[1] == "dynamo";
if (onlyDynamo) args = args[2..];

var sizesGiven = args.Length > 0;
var agents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var faultsPerAgent = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var streams = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
var pointsPerStream = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10_000;
var folder = Path.Combine(Path.GetTempPath(), "cimaa-bench-export-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(folder);
try
{
    // A small database of the same shape: each child first runs its step on it, so code is loaded and compiled before measuring.
    var warm = Path.Combine(folder, "warm.db");
    await Seed.RunAsync(warm, 10, 10, 2, 500);
    var rows = new List<(string Step, Child.Figures F, string Note)>();
    var sizes = "";
    if (!onlyDynamo)
    {
        var source = Path.Combine(folder, "source.db");
        Console.WriteLine($"Seeding {agents * faultsPerAgent:N0} faults and {streams * pointsPerStream:N0} datapoints into {source}");
        var seed = Stopwatch.StartNew();
        await Seed.RunAsync(source, agents, faultsPerAgent, streams, pointsPerStream);
        Console.WriteLine($"  seeded in {seed.Elapsed.TotalSeconds:0.0} s, {new FileInfo(source).Length / 1048576.0:0} MB");
        var jsonl = Path.Combine(folder, "export.jsonl");
        var gz = Path.Combine(folder, "export.jsonl.gz");
        rows =
        [
            ("Raw SELECT of every fault, heartbeat, datapoint and index row (baseline)", Child.Start(warm, "select", source), "Microsoft.Data.Sqlite, every column read"),
            ("Export-CimaaDatabase to .jsonl", Child.Start(warm, "export", source, jsonl), ""),
            ("Export-CimaaDatabase to .jsonl.gz", Child.Start(warm, "export", source, gz), ""),
            ("Raw copy: SELECT + INSERT into a new file, one transaction (baseline)", Child.Start(warm, "copy", source, Path.Combine(folder, "copy.db")), "no validation, no index rebuild"),
            ("Import-CimaaDatabase from .jsonl into a new file (validation pass + write pass)", Child.Start(warm, "import", jsonl, Path.Combine(folder, "target.db")), ""),
            ("Import-CimaaDatabase from .jsonl.gz into a new file", Child.Start(warm, "import", gz, Path.Combine(folder, "target-gz.db")), ""),
        ];
        sizes = $"{new FileInfo(jsonl).Length / 1048576.0:0} MB plain, {new FileInfo(gz).Length / 1048576.0:0} MB gzip";
    }

    // DynamoDB (dynalite in memory, one node process): the same faults and a tenth of the datapoints.
    var (dAgents, dFaults, dStreams, dPoints) = (agents, faultsPerAgent, Math.Max(1, streams / 10), pointsPerStream);
    var dynamoSource = Path.Combine(folder, "dynamo-source.db");
    await Seed.RunAsync(dynamoSource, dAgents, dFaults, dStreams, dPoints);
    var dynamoFile = Path.Combine(folder, "dynamo.jsonl");
    await using (var s = StoreFactory.Open(new ConnectionSettings { Kind = StoreKind.Local, Path = dynamoSource }))
        await s.Export.ExportAsync(new Cimaa.Export.ExportRequest(dynamoFile, Cimaa.Export.ExportTables.DefaultInclude), OpContext.None);
    List<(string Step, Child.Figures F, string Note)> dynamoRows;
    var loadBefore = LoadAverage();
    using (var dynalite = DynaliteServer.Start())
    {
        var endpoint = dynalite.Endpoint.ToString().TrimEnd('/');
        Console.WriteLine($"dynalite on {endpoint} (pid {dynalite.Pid})");
        await DynamoSteps.CreateTablesAsync(endpoint, "bench.");
        dynamoRows =
        [
            ("Import-CimaaDatabase from .jsonl into DynamoDB", Child.Start(warm, "dynamo-import", dynamoFile, endpoint, "bench."), "8 writes in flight, each request made as its batch is sent"),
            ("Raw AWSSDK Scan of every table (baseline)", Child.Start(warm, "dynamo-scan", endpoint, "bench."), "faults, squelches, config, datapoints, index; pages of 1,000"),
            ("Export-CimaaDatabase from DynamoDB to .jsonl", Child.Start(warm, "dynamo-export", endpoint, "bench.", Path.Combine(folder, "dynamo-out.jsonl")), ""),
        ];
    }
    var load = $"Every Scan asks for pages of {DynamoSteps.PageSize:N0} items, the raw one as the stores' do, so both read the same pages; " +
        "without a Limit, DynamoDB's page is up to 1 MB, thousands of faults, which the SDK holds whole as objects. The import makes each " +
        $"write request as its batch of 25 is sent. Load average {loadBefore} before these steps and {LoadAverage()} after them.";
    Console.WriteLine(load);
    // Sizes given on the command line are for trying things out: the results file keeps the default sizes' figures.
    if (sizesGiven) Console.WriteLine("Sizes given: bench/results/export.md is left as it is.");
    else Report.Write(rows, agents, faultsPerAgent, streams, pointsPerStream, sizes, dynamoRows, (dAgents, dFaults, dStreams, dPoints), load);
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

// The 1-minute load average (Linux), or "unknown".
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

/// <summary>Writes the source database directly in Cimaa's SQLite layout, as stores fill up over time.</summary>
internal static class Seed
{
    public static async Task RunAsync(string path, int agents, int faultsPerAgent, int streams, int pointsPerStream)
    {
        SqliteStoreFile.Create(path);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var conn = new SqliteConnection($"Data Source={path};Pooling=False");
        conn.Open();
        using var tx = conn.BeginTransaction();
        using var fault = Command(conn, tx, "INSERT INTO faults (agent, name, severity, message, since, updated, triggered) VALUES ($a, $n, $s, $m, $t, $t, 0)");
        using var beat = Command(conn, tx, "INSERT INTO heartbeats (agent, updated) VALUES ($a, $t)");
        for (var i = 0; i < agents; i++)
        {
            var agent = $"agent{i:D5}";
            for (var j = 0; j < faultsPerAgent; j++)
            {
                Set(fault, ("$a", agent), ("$n", $"check{j:D3}"), ("$s", 30 + j % 30), ("$m", $"check {j} of {agent}: value {i * j % 977} over threshold"), ("$t", now - j));
                fault.ExecuteNonQuery();
            }
            Set(beat, ("$a", agent), ("$t", now));
            beat.ExecuteNonQuery();
        }
        using var point = Command(conn, tx, "INSERT INTO datapoints (stream_key, offset_ms, n, s, expires) VALUES ($k, $o, $n, NULL, $e)");
        using var index = Command(conn, tx, "INSERT OR IGNORE INTO datapoints_index (dm, bt, expires) VALUES ($dm, $bt, $e)");
        var retention = 30L * 86400;
        var start = (now - pointsPerStream * 10L - 3600) * 1000;
        for (var s = 0; s < streams; s++)
        {
            var tags = MetricKeys.TagString([new("host", $"web{s:D3}"), new("dc", s % 2 == 0 ? "east" : "west")]);
            for (var p = 0; p < pointsPerStream; p++)
            {
                var ms = start + p * 10_000L + s;
                var bt = MetricKeys.BaseTime(ms);
                Set(point, ("$k", MetricKeys.Key("default", "cpu", bt, tags)), ("$o", ms - bt), ("$n", (p % 1000 * 0.25m).ToString(CultureInfo.InvariantCulture)),
                    ("$e", MetricKeys.PointExpires(ms, retention)));
                point.ExecuteNonQuery();
                if (p == 0 || MetricKeys.BaseTime(ms - 10_000) != bt)
                {
                    Set(index, ("$dm", "default|cpu"), ("$bt", MetricKeys.BaseTag(bt, tags)), ("$e", MetricKeys.IndexExpires(bt, retention)));
                    index.ExecuteNonQuery();
                }
            }
        }
        tx.Commit();
        await Task.CompletedTask;
    }

    private static SqliteCommand Command(SqliteConnection conn, SqliteTransaction tx, string sql)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (cmd.Parameters.Contains(name)) cmd.Parameters[name].Value = value;
            else cmd.Parameters.AddWithValue(name, value);
        }
    }
}

/// <summary>Creates a Cimaa SQLite file with its schema, through the client (which creates the file) and Initialize-CimaaTable's store.</summary>
internal static class SqliteStoreFile
{
    public static void Create(string path)
    {
        var client = StoreFactory.Open(new ConnectionSettings { Kind = StoreKind.Local, Path = path });
        Cimaa.AsyncStreams.ToListAsync(client.Tables.InitializeAsync(new TableOptions(), OpContext.None)).GetAwaiter().GetResult();
        client.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
