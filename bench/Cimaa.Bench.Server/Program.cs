using System.Globalization;
using Cimaa.Bench.Server;
using Cimaa.Testing;

// The metrics server against Core called directly, on SQLite and dynalite; writes bench/results/server.md.
// Usage: dotnet run -c Release --project bench/Cimaa.Bench.Server
//          [-- --runs 3 --query-runs 1 --stores sqlite,dynamo --phases write,query,memory --no-memory --output <file>]
// The results file is rewritten after each measurement, so a long run that is stopped keeps what it measured.
var runs = 3;
var queryRuns = 1;
var stores = new List<string> { "sqlite", "dynamo" };
var memory = true;
var phases = new HashSet<string> { "write", "query", "memory" };
var output = Path.Combine(RepoPaths.Root, "bench", "results", "server.md");
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--query-runs": queryRuns = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--stores": stores = [.. args[++i].Split(',')]; break;
        case "--no-memory": memory = false; break;
        case "--phases": phases = [.. args[++i].Split(',')]; break;
        case "--output": output = args[++i]; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 64;
    }
}

static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

// As the server's Program does (SQLite's calls hold their thread); this process also runs the direct baselines, which get the same.
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
var loadBefore = Load();
Console.WriteLine($"Server benchmark: {runs} write runs, {queryRuns} query runs, stores {string.Join(",", stores)}; load average {loadBefore}");
using var dir = new TempDir();
DynaliteServer? dynalite = null;
var writeRows = new List<string>();
var queryRows = new List<string>();
MemoryBench.Result? m = null;
try
{
    foreach (var kind in stores)
    {
        var bench = new BenchStores(kind, dir, () => dynalite ??= DynaliteServer.Start());
        if (phases.Contains("write")) await Write(bench);
        if (phases.Contains("query")) await Query(bench);
    }
    if (memory && phases.Contains("memory"))
    {
        m = await MemoryBench.RunAsync(dir);
        await SaveAsync();
    }
}
finally
{
    dynalite?.Dispose();
}
Console.WriteLine(string.Join("\n", Render()));
Console.WriteLine($"Wrote {output}");
return 0;

async Task Write(BenchStores bench)
{
    var kind = bench.Kind;
    var w = await WriteBench.RunAsync(bench, runs);
    double Rate(double ms) => WriteBench.Points / (ms / 1000);
    var ratio = w.DirectMs / w.HttpMs;
    writeRows.Add($"| {kind} | {Rate(w.HttpMs):N0} ({w.HttpMs:0} ms) | {Rate(w.DirectMs):N0} ({w.DirectMs:0} ms) | {ratio:0.00} | {(ratio >= 0.8 ? "met" : "not met")} |" +
        $" {Runs(w.HttpRuns)} / {Runs(w.DirectRuns)} |");
    await SaveAsync();
}

async Task Query(BenchStores bench)
{
    var kind = bench.Kind;
    var q = await QueryBench.RunAsync(bench, queryRuns);
    var qr = q.HttpP50 / q.DirectP50;
    queryRows.Add($"| {kind} | {q.HttpP50:0.0} | {q.HttpP99:0.0} | {q.DirectP50:0.0} | {q.DirectP99:0.0} | {qr:0.00} | {(qr <= 1.2 ? "met" : "not met")} |" +
        $" {q.Queries} | {q.HttpFailed} / {q.DirectFailed} |");
    await SaveAsync();
}

static string Runs(IEnumerable<double> ms) => string.Join(", ", ms.Select(x => x.ToString("0", CultureInfo.InvariantCulture)));

async Task SaveAsync()
{
    var lines = Render();
    Console.WriteLine($"(results so far in {output})");
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    await File.WriteAllLinesAsync(output, lines);
}

List<string> Render()
{
    var lines = new List<string>
    {
        "# Metrics server benchmark",
        "",
        $"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}. " +
            $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Load average (1, 5, 15 min) at the start: {loadBefore}; at this write: {Load()}.",
        "",
        $"Command: `dotnet run -c Release --project bench/Cimaa.Bench.Server{(args.Length > 0 ? " -- " + string.Join(" ", args) : "")}`",
        "",
        "The server runs in the harness's process on a loopback port (Kestrel, its request log formatted but not printed), and every",
        "request is signed (standard SigV4) and verified. \"Direct\" is Core called in the same process on the same kind of store:",
        "what Write-CimaaMetric and Get-CimaaMetric do. Each write run starts on a fresh store; the order of the two alternates.",
        "",
        $"## Writes: {WriteBench.Points:N0} points, batches of {WriteBench.BatchSize:N0}, {WriteBench.Clients} clients, {WriteBench.Streams} streams",
        "",
        $"HTTP: signed POST datapoints. Direct: MetricValidation then MetricService.WriteAsync per batch, {WriteBench.Clients} at a time.",
        $"Medians of {runs} runs; ratio = HTTP throughput / direct throughput; goal >= 0.8.",
        "",
        "| Store | HTTP points/s | Direct points/s | Ratio | Goal | Runs, ms (HTTP / direct) |",
        "|---|---:|---:|---:|---|---|",
    };
    lines.AddRange(writeRows);
    lines.AddRange(
    [
        "",
        $"## Queries: 1 hour, 1-minute avg, {QueryBench.Streams} streams (18,000 points), {QueryBench.Clients} clients",
        "",
        "HTTP: signed POST datapoints/query with a KairosDB avg aggregator (1 minute, aligned), the whole response read. Direct:",
        "MetricService.QueryAsync with a 1-minute avg downsample and an avg aggregate (Get-CimaaMetric's query), every window read.",
        $"{QueryBench.Clients} clients x {QueryBench.QueriesPerClient} queries x {queryRuns} run(s) per mode; latencies in ms; goal: HTTP p50 <= 1.2 x direct p50.",
        "",
        "| Store | HTTP p50 | HTTP p99 | Direct p50 | Direct p99 | p50 ratio | Goal | Queries per mode | Failed (HTTP / direct) |",
        "|---|---:|---:|---:|---:|---:|---|---:|---|",
    ]);
    lines.AddRange(queryRows);
    if (m is not null)
    {
        var growth = (m.PeakBytes - m.BaselineBytes) / 1048576.0;
        lines.AddRange(
        [
            "",
            $"## Memory: one query returning {MemoryBench.Streams * MemoryBench.PerStream:N0} points (SQLite)",
            "",
            "The server as its own process (`dotnet Cimaa.Server.dll --db ...`); its resident set sampled every 20 ms from /proc.",
            "Baseline: after three warm-up queries. Goal: growth < 100 MB.",
            "",
            "| Baseline RSS | Peak RSS | Growth | Goal | High-water mark (whole life) | Response | Time |",
            "|---:|---:|---:|---|---:|---:|---:|",
            $"| {m.BaselineBytes / 1048576.0:0} MB | {m.PeakBytes / 1048576.0:0} MB | {growth:0} MB | {(growth < 100 ? "met" : "not met")} | " +
                $"{m.HighWaterBytes / 1048576.0:0} MB | {m.ResponseBytes / 1048576.0:0.0} MB, sample_size {m.SampleSize:N0} | {m.Seconds:0.0} s |",
        ]);
    }
    return lines;
}
