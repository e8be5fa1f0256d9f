using Cimaa.Bench;
using Cimaa.Testing;

// ./build.sh bench [--quick]: every figure is a ratio against a baseline run in this same process, on the same dynalite or SQLite folder.
if (args.Length == 2 && args[0] == "--import") return ImportBench.Child(args[1]);
if (args.Length == 2 && args[0] == "--memory") return MemoryBench.Child(args[1]);

var quick = args.Contains("--quick");
var runs = quick ? 3 : 5;
using var folder = new TempDir();
var results = new List<Result>();
void Add(Result r)
{
    results.Add(r);
    Console.WriteLine($"{r.Name}: {r.Figure:0.00} (goal {r.Goal})");
}

Console.WriteLine($"Machine: {Report.Machine()}");
Add(await ImportBench.RunAsync(quick ? 5 : 9));
using (var host = new BenchHost())
{
    using var dynamo = new DynamoBench(host);
    Add(await dynamo.WritesAsync(agents: 1000, faults: 5, runs: runs));
    Add(await new SqliteBench(host, folder.Path).WritesAsync(agents: 1000, faults: 5, runs: runs));
    Add(await dynamo.StaleAsync(agents: 10_000, runs: runs));
    if (dynamo.StaleCoreOnly is { } core) Add(core);
}
Add(MemoryBench.Run(folder.Path, agents: 10_000, faultsPerAgent: 10));

Report.Print(results);
Console.WriteLine($"\nWrote {Report.Write(results, "./build.sh bench" + (quick ? " --quick" : ""))}");
return 0;
