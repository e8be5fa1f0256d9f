using System.Diagnostics;
using System.Globalization;
using Cimaa;
using Cimaa.Faults;
using Cimaa.Report;
using Cimaa.Server;
using Cimaa.Squelches;
using Cimaa.Storage;
using Cimaa.Testing;

// The status page for 1,000 agents, 5,000 faults and 200 squelches, rendered by the server's code (Core's ReportService and
// ReportHtml, through ServerBackend.RenderReportAsync), against reading the same faults as Get-CimaaFault does (Core's
// FaultService.GetAsync, every fault enumerated), on the same store, interleaved; writes bench/results/report.md.
// Usage: dotnet run -c Release --project bench/Cimaa.Bench.Report [-- --runs 7 --stores sqlite,dynamo --output <file>]
var runs = 7;
var stores = new List<string> { "sqlite", "dynamo" };
var output = Path.Combine(Root(), "bench", "results", "report.md");
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--stores": stores = [.. args[++i].Split(',')]; break;
        case "--output": output = args[++i]; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 64;
    }
}
const int Agents = 1000, FaultsPerAgent = 5, Squelches = 200, StaleAgents = 50;
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
var load = Load();
Console.WriteLine($"Status page benchmark: {runs} runs each, stores {string.Join(",", stores)}; load average {load}");
using var dir = new TempDir();
DynaliteServer? dynalite = null;
var rows = new List<string>();
try
{
    foreach (var kind in stores)
    {
        var settings = kind == "sqlite"
            ? new ConnectionSettings { Kind = StoreKind.Local, Path = dir.File("report.db") }
            : new ConnectionSettings
            {
                Kind = StoreKind.DynamoDB, EndpointUrl = (dynalite ??= DynaliteServer.Start()).Endpoint, Region = "us-east-1",
                AccessKeyId = "AKIDBENCH", SecretAccessKey = "bench", TablePrefix = "report.",
            };
        await SeedAsync(settings);
        await using var backend = ServerBackend.Open(settings);
        await using var client = StoreFactory.Open(settings);
        var request = new ReportRequest(ReportRequest.DefaultStaleAfter, []);
        long size = 0;
        async Task<double> Render()
        {
            var sw = Stopwatch.StartNew();
            using var page = await backend.RenderReportAsync(request, OpContext.None);
            sw.Stop();
            size = page.Length;
            return sw.Elapsed.TotalMilliseconds;
        }
        async Task<double> Read()
        {
            var sw = Stopwatch.StartNew();
            var n = 0;
            await foreach (var _ in client.Faults.GetAsync(new FaultQuery(), OpContext.None)) n++;
            sw.Stop();
            if (n != Agents * FaultsPerAgent) throw new InvalidOperationException($"read {n} faults");
            return sw.Elapsed.TotalMilliseconds;
        }
        var model = await client.Report.BuildAsync(request, OpContext.None);
        double Write()
        {
            var sw = Stopwatch.StartNew();
            using var page = new MemoryStream(256 * 1024);
            using (var writer = new StreamWriter(page, new System.Text.UTF8Encoding(false), 64 * 1024, leaveOpen: true)) ReportHtml.Write(writer, model, ReportHtml.Options.Served);
            return sw.Elapsed.TotalMilliseconds;
        }
        await Render();
        await Read();
        Write();
        var render = new List<double>();
        var read = new List<double>();
        var write = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            // Interleaved, the order alternating, so drift and noise from other work fall on both.
            if (r % 2 == 0) { render.Add(await Render()); read.Add(await Read()); }
            else { read.Add(await Read()); render.Add(await Render()); }
            write.Add(Write());
        }
        var ratio = Median(render) / Median(read);
        var row = $"| {kind} | {Median(render):0.0} ({render.Min():0.0}-{render.Max():0.0}) | {Median(read):0.0} ({read.Min():0.0}-{read.Max():0.0}) |" +
                  $" {ratio:0.00} | {(ratio < 1.5 ? "met" : "missed")} | {size / 1024.0:N0} KB | {(size < 2 * 1024 * 1024 ? "met" : "missed")} | {Median(write):0.0} |";
        Console.WriteLine(row);
        rows.Add(row);
    }
}
finally
{
    dynalite?.Dispose();
}
File.WriteAllText(output, $"""
    # Status page benchmark

    Machine: {Environment.ProcessorCount} cores (shared with other work while this ran), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}. Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Load average before: {load}.

    Command: `dotnet run -c Release --project bench/Cimaa.Bench.Report -- --runs {runs}`

    Data: {Agents:N0} agents with {FaultsPerAgent} faults each ({Agents * FaultsPerAgent:N0} faults, 60-character messages, levels
    Info to Critical), {Squelches} squelches (regexes; a few silence faults), {StaleAgents} stale agents; no sparklines.

    Goal (issue 15): the page renders on the server in under 1.5 times the time Get-CimaaFault takes to read those faults on the
    same store, and the HTML stays under 2 MB. Render: `ServerBackend.RenderReportAsync` (what `GET /` runs: Core's
    ReportService reads faults, stale agents and squelches concurrently, then ReportHtml writes the page into memory). Read:
    `client.Faults.GetAsync` with no filter, every fault enumerated (what Get-CimaaFault calls, without PowerShell's output).
    Both warm (one of each first), then {runs} of each, interleaved with the order alternating; figures are the median in ms
    with the range.

    | Store | Render ms, median (range) | Read ms, median (range) | Ratio | Goal < 1.5 | HTML | Goal < 2 MB | Of the render: HTML writing ms |
    |---|---:|---:|---:|---|---:|---|---:|
    {string.Join("\n", rows)}

    dynamo is dynalite in memory on the same machine.

    """);
Console.WriteLine($"Wrote {output}");
return 0;

async Task SeedAsync(ConnectionSettings settings)
{
    var now = DateTimeOffset.UtcNow;
    await using (var store = StoreFactory.Open(settings with { Clock = new ManualClock(now.AddHours(-3)) }))
    {
        await foreach (var _ in store.Tables.InitializeAsync(new TableOptions(), OpContext.None)) { }
        var stale = Enumerable.Range(0, StaleAgents).Select(i => $"gone-{i:000}.example.net").ToList();
        await store.Faults.SetAsync(FaultValidation.Validate(stale, [], null), null, OpContext.None);
    }
    await using (var store = StoreFactory.Open(settings with { Clock = new ManualClock(now.AddMinutes(-5)) }))
    {
        var inputs = Enumerable.Range(0, Agents).SelectMany(a => Enumerable.Range(0, FaultsPerAgent).Select(f => new FaultInput(
            $"agent-{a:0000}.example.net", $"check-{f}", (a + f) % 4 * 15 + 10, $"value {a * 5 + f} is over the threshold of 90 on /var/lib/data{f}", null)));
        await store.Faults.SetAsync(FaultValidation.Validate([], inputs, null), null, OpContext.None);
        for (var i = 0; i < Squelches; i++)
            await store.Squelches.AddAsync(new SquelchRequest($"^check-{i}$", "planned maintenance of the storage cluster", "ops", i % 3 == 0, null, null, false), OpContext.None);
    }
}

static double Median(List<double> values)
{
    var s = values.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Root()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cimaa.sln"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
