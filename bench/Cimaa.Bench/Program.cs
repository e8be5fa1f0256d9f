using Cimaa.Bench;
using Cimaa.Testing;

// ./build.sh bench [--quick]: every figure is a ratio against a baseline run in this same process, on the same dynalite or SQLite folder.
if (args.Length == 2 && args[0] == "--import") return ImportBench.Child(args[1]);
if (args.Length == 2 && args[0] == "--memory") return MemoryBench.Child(args[1]);

var quick = args.Contains("--quick");
// --only <word>: run just the benchmarks whose name contains the word (for looking at one figure again).
var only = Array.IndexOf(args, "--only") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
var runs = quick ? 3 : 5;
using var folder = new TempDir();
var results = new List<Result>();
void Add(Result r)
{
    results.Add(r);
    Console.WriteLine($"{r.Name}: {r.Figure:0.00} (goal {r.Goal})");
}

Console.WriteLine($"Machine: {Report.Machine()}");
bool Want(string word) => only is null || word.Contains(only, StringComparison.OrdinalIgnoreCase);
if (Want("import")) Add(await ImportBench.RunAsync(quick ? 5 : 9));
using (var host = new BenchHost())
{
    using var dynamo = new DynamoBench(host);
    if (Want("dynamodb writes")) Add(await dynamo.WritesAsync(agents: 1000, faults: 5, runs: quick ? runs : 7));
    if (Want("sqlite writes")) Add(await new SqliteBench(host, folder.Path).WritesAsync(agents: 1000, faults: 5, runs: runs));
    if (Want("stale agents")) Add(await dynamo.StaleAsync(agents: 10_000, runs: runs));
    if (dynamo.StaleCoreOnly is { } core) Add(core);
}
if (Want("memory")) Add(MemoryBench.Run(folder.Path, agents: 10_000, faultsPerAgent: 10));

Report.Print(results);
if (only is null) Console.WriteLine($"\nWrote {Report.Write(results, "./build.sh bench" + (quick ? " --quick" : ""))}");
return 0;
