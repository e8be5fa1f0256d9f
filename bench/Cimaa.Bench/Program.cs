using System.Globalization;
using Cimaa.Bench;
using Cimaa.Testing;

// ./build.sh bench [--quick] [--only <word>] [--no-profile]: every figure is measured in this run, interleaved with its floor.
if (args.Length == 2 && args[0] == "--import") return ImportBench.Child(args[1]);
if (args.Length >= 2 && args[0] == "--curve") return await CurveBench.Child(args[1..]);
if (args.Length == 4 && args[0] == "--profile-child") return await Profiler.Child(args[1], new Uri(args[2]), args[3]);

if (args.Length == 3 && args[0] == "--summarize") { Console.WriteLine(ProfileSummary.Summarize(args[1], int.Parse(args[2], CultureInfo.InvariantCulture))); return 0; }
if (args.Length == 3 && args[0] == "--cpu") return await Profiler.CpuAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), DynaliteServer.Shared.Endpoint);

var quick = args.Contains("--quick");
// --only <word>: run just the benchmarks whose name contains the word (for looking at one figure again); nothing is written.
var only = Array.IndexOf(args, "--only") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
// --profile <key>: profile one workload (see Profiler.Workloads) and print the summary.
if (Array.IndexOf(args, "--profile") is var pat and >= 0 && pat + 1 < args.Length)
{
    var keep = Environment.GetEnvironmentVariable("CIMAA_PROFILE_DIR");
    using var dir = new TempDir();
    Console.WriteLine(Profiler.Run(args[pat + 1], DynaliteServer.Shared.Endpoint, keep ?? dir.Path));
    return 0;
}
var runs = quick ? 3 : 5;
// --metric-points N: fewer points for the metric rows on a loaded machine (the query still reads 50 streams x 24 columns).
var metricPoints = Array.IndexOf(args, "--metric-points") is var mp and >= 0 && mp + 1 < args.Length ? int.Parse(args[mp + 1], CultureInfo.InvariantCulture) : quick ? 20_000 : 100_000;
// --curve-sqlite: the cost curve on SQLite only (dynalite's curve is the longest part of a run).
var curveSqliteOnly = quick || args.Contains("--curve-sqlite");
var command = "./build.sh bench" + (args.Length > 0 ? " " + string.Join(' ', args) : "");
using var folder = new TempDir();
var results = new List<Result>();
var load = new List<string> { Report.LoadAverage() };
void Add(Result r)
{
    results.Add(r);
    Console.WriteLine($"{r.Name}: {r.Figure} ({r.Spread}), goal {r.Goal}: {(r.Met ? "met" : "NOT MET")}");
    // Written as it goes, marked unfinished, so a run cut short still leaves its figures.
    if (only is null) Report.Write(results, [], new Dictionary<string, string>(), [.. load, Report.LoadAverage()], command + " (unfinished: the run was still going)");
}

Console.WriteLine($"Machine: {Report.Machine()}; load average {load[0]}");
bool Want(string word) => only is null || word.Contains(only, StringComparison.OrdinalIgnoreCase);
var endpoint = DynaliteServer.Shared.Endpoint;
if (Want("import")) Add(await ImportBench.RunAsync(quick ? 5 : 9));
using (var host = new BenchHost())
{
    using var dynamo = new DynamoBench(host, endpoint);
    if (Want("dynamodb writes")) Add(await dynamo.WritesAsync(agents: 1000, faults: 5, runs: runs));
    if (Want("sqlite writes")) Add(await new SqliteBench(host, folder.Path).WritesAsync(agents: 1000, faults: 5, runs: runs));
    foreach (var agents in new[] { 1000, 10_000 })
    {
        if (!Want("stale agents")) continue;
        Add(await dynamo.StaleAsync(agents, runs));
        Add(await dynamo.CoreStaleAsync(agents, runs));
    }
}
if (Want("metrics"))
{
    foreach (var r in await MetricsBench.RunAsync(endpoint, points: metricPoints, streams: 50, runs: runs)) Add(r);
}
load.Add(Report.LoadAverage());
var curve = Want("curve") ? await CurveBench.RunAsync(endpoint, folder.Path, curveSqliteOnly) : [];
load.Add(Report.LoadAverage());

var profiles = new Dictionary<string, string>();
if (!args.Contains("--no-profile"))
{
    foreach (var key in results.Where(r => !r.Met && r.Profile is not null).Select(r => r.Profile!).Distinct())
    {
        Console.WriteLine($"Profiling {key} ...");
        profiles[key] = Profiler.Run(key, endpoint, folder.Path);
    }
}

Report.Print(results, curve);
if (only is null) Console.WriteLine($"\nWrote {Report.Write(results, curve, profiles, load, command)}");
return 0;
