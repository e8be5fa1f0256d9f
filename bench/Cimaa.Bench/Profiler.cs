using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cimaa.Testing;

namespace Cimaa.Bench;

/// <summary>
/// Where the time of a workload goes: a child process sets the workload up and warms it, dotnet-trace (the local tool pinned in
/// .config/dotnet-tools.json) attaches to it, the child runs the workload in a loop, and dotnet-trace's speedscope form of the trace
/// is reduced by <see cref="ProfileSummary"/>. Only the loop is traced.
/// </summary>
public static class Profiler
{
    /// <summary>The workloads that can be profiled, by the key a row's Profile names.</summary>
    public static readonly IReadOnlyDictionary<string, (string Name, int Calls)> Workloads = new Dictionary<string, (string, int)>
    {
        ["stale-1000"] = ("Get-CimaaStaleAgent over 1,000 heartbeats on dynalite", 200),
        ["stale-10000"] = ("Get-CimaaStaleAgent over 10,000 heartbeats on dynalite", 40),
        ["dynamo-writes"] = ("Set-CimaaFault, 1,000 agents x 5 faults on dynalite", 1),
        ["sqlite-writes"] = ("Set-CimaaFault, 1,000 agents x 5 faults on SQLite", 1),
        ["metrics-query"] = ("MetricService: 24 h at 1-minute averages over 50 streams (20,000 points) on dynalite", 5),
    };

    /// <summary>Profiles one workload; returns the summary as markdown, or why there is none.</summary>
    public static string Run(string key, Uri endpoint, string folder)
    {
        var trace = Path.Combine(folder, key + ".nettrace");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(Profiler).Assembly.Location, "--profile-child", key, endpoint.ToString(), folder }) psi.ArgumentList.Add(a);
        using var child = Process.Start(psi)!;
        var childErr = child.StandardError.ReadToEndAsync();
        try
        {
            if (!ReadUntil(child.StandardOutput, "ready", TimeSpan.FromMinutes(5))) return $"the workload did not start: {Tail(childErr)}";
            using var collector = Tool("collect", "-p", child.Id.ToString(CultureInfo.InvariantCulture), "-o", trace, "--format", "Speedscope");
            try
            {
                // dotnet-trace prints its providers, then "Output File : ..." once the session runs (and then waits for Enter).
                if (!ReadUntil(collector.StandardOutput, "Output File", TimeSpan.FromMinutes(1))) return "dotnet-trace did not attach";
                var copy = collector.StandardOutput.ReadToEndAsync();
                child.StandardInput.WriteLine("go");
                child.StandardInput.Flush();
                if (!ReadUntil(child.StandardOutput, "done", TimeSpan.FromMinutes(10))) return $"the workload failed: {Tail(childErr)}";
                // Ctrl+C stops dotnet-trace's session while the child still runs, so the rundown names every method.
                using (var interrupt = Process.Start("kill", ["-INT", collector.Id.ToString(CultureInfo.InvariantCulture)])) interrupt.WaitForExit();
                // Stopping includes writing the speedscope form, minutes for a large trace on a loaded machine.
                if (!collector.WaitForExit(900_000)) return "dotnet-trace did not stop in 15 minutes";
                copy.Wait();
            }
            finally
            {
                if (!collector.HasExited) collector.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            try { child.StandardInput.Close(); } catch (IOException) { }
            if (!child.WaitForExit(30_000)) child.Kill(entireProcessTree: true);
        }
        var speedscope = Path.ChangeExtension(trace, ".speedscope.json");
        if (!File.Exists(speedscope)) return "no trace was written";
        var (name, calls) = Workloads[key];
        return $"Workload: {name}, {calls} calls in a loop after a warm-up, traced by `dotnet-trace collect -p` (sampled thread time, " +
               "about 100 Hz per thread) from the end of the warm-up to the end of the loop.\n\n" + ProfileSummary.Summarize(speedscope, calls);
    }

    /// <summary>Reads characters until the text contains <paramref name="word"/>; false at the end of the stream or after the timeout.</summary>
    private static bool ReadUntil(StreamReader reader, string word, TimeSpan timeout)
    {
        var read = Task.Run(() =>
        {
            var seen = new StringBuilder();
            var buffer = new char[1];
            while (reader.Read(buffer, 0, 1) == 1)
            {
                seen.Append(buffer[0]);
                if (seen.Length >= word.Length && seen.ToString(seen.Length - word.Length, word.Length) == word) return true;
            }
            return false;
        });
        return read.Wait(timeout) && read.Result;
    }

    private static string Tail(Task<string> stderr) => stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result[Math.Max(0, stderr.Result.Length - 2000)..] : "";

    /// <summary>
    /// Runs dotnet-trace as one process (its dll from the NuGet cache, the version pinned in .config/dotnet-tools.json, restored by
    /// `dotnet tool restore`), so that Ctrl+C reaches it rather than the `dotnet tool run` wrapper.
    /// </summary>
    private static Process Tool(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root };
        psi.ArgumentList.Add(ToolDll.Value);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    private static readonly Lazy<string> ToolDll = new(() =>
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, ".config", "dotnet-tools.json")));
        var version = manifest.RootElement.GetProperty("tools").GetProperty("dotnet-trace").GetProperty("version").GetString()!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = new DirectoryInfo(Path.Combine(packages, "dotnet-trace", version, "tools"));
        return tools.Exists ? tools.GetFiles("dotnet-trace.dll", SearchOption.AllDirectories).Select(f => f.FullName).FirstOrDefault()
            ?? throw new FileNotFoundException($"dotnet-trace.dll not under {tools}")
            : throw new DirectoryNotFoundException($"dotnet-trace {version} is not restored ({tools}): run `dotnet tool restore`");
    });

    /// <summary>
    /// Client CPU per call (user + system time of this process), which the machine's load hardly changes: Get-CimaaStaleAgent, the raw
    /// loop and the emitting floor, each many times after a warm-up.
    /// </summary>
    public static async Task<int> CpuAsync(string what, int agents, Uri endpoint)
    {
        using var host = new BenchHost();
        using var dynamo = new DynamoBench(host, endpoint);
        var prefix = await dynamo.SeedHeartbeatsAsync(agents);
        dynamo.Connect(prefix);
        var calls = int.Parse(what, CultureInfo.InvariantCulture);
        var emit = $"$global:floor = @(Get-FloorAgent {agents}).Count";
        await using var store = Cimaa.Storage.StoreFactory.Open(new Cimaa.Storage.ConnectionSettings
        {
            Kind = Cimaa.Storage.StoreKind.DynamoDB, EndpointUrl = endpoint, Region = "us-east-1", AccessKeyId = "bench", SecretAccessKey = "bench",
            TablePrefix = prefix + ".",
        });
        var service = store.Agents;
        var cases = new (string Name, Func<Task> Run)[]
        {
            ("Get-CimaaStaleAgent", () => { host.Run(DynamoBench.StaleScript); return Task.CompletedTask; }),
            ("raw loop", () => dynamo.RawStale(prefix + ".faults")),
            ("Cimaa.Core only", async () => { await foreach (var _ in service.GetStaleAsync(TimeSpan.FromSeconds(60), Cimaa.OpContext.None)) { } }),
            ("emitting floor", () => { host.Run(emit); return Task.CompletedTask; }),
            ("empty script", () => { host.Run("$global:x = 1"); return Task.CompletedTask; }),
        };
        for (var round = 0; round < 3; round++)
        {
            foreach (var (name, run) in cases)
            {
                for (var i = 0; i < 5; i++) await run();
                var me = Process.GetCurrentProcess();
                var cpu0 = me.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++) await run();
                me.Refresh();
                Console.WriteLine(Measure.Inv($"{name,-22} cpu {(me.TotalProcessorTime - cpu0).TotalMilliseconds / calls,7:0.00} ms/call, wall {wall.Elapsed.TotalMilliseconds / calls,7:0.00} ms/call"));
            }
        }
        return 0;
    }

    /// <summary>The child: sets up and warms the workload, says "ready", waits for "go", runs it, says "done", and leaves at the end of its input.</summary>
    public static async Task<int> Child(string key, Uri endpoint, string folder)
    {
        using var host = new BenchHost();
        using var dynamo = new DynamoBench(host, endpoint);
        Action work;
        switch (key)
        {
            case "stale-1000" or "stale-10000":
                var agents = key == "stale-1000" ? 1000 : 10000;
                dynamo.Connect(await dynamo.SeedHeartbeatsAsync(agents));
                work = () => { for (var i = 0; i < Workloads[key].Calls; i++) host.Run(DynamoBench.StaleScript); };
                break;
            case "dynamo-writes":
                DynamoBench.MakeFaultRecords(host, 1000, 5);
                work = () => { for (var i = 0; i < Workloads[key].Calls; i++) { dynamo.NewPrefix(); host.Run("$global:objs | Set-CimaaFault"); } };
                break;
            case "sqlite-writes":
                var sqlite = new SqliteBench(host, folder);
                DynamoBench.MakeFaultRecords(host, 1000, 5);
                work = () => { for (var i = 0; i < Workloads[key].Calls; i++) { sqlite.NewFile(); host.Run("$global:objs | Set-CimaaFault"); } };
                break;
            case "metrics-query":
                var query = await MetricsBench.SeedQueryAsync(endpoint, points: 20_000, streams: 50);
                work = () => { for (var i = 0; i < Workloads[key].Calls; i++) query().GetAwaiter().GetResult(); };
                break;
            default:
                Console.Error.WriteLine($"unknown workload {key}");
                return 2;
        }
        work(); // warm-up
        Console.WriteLine("ready");
        if (Console.ReadLine() != "go") return 1;
        work();
        Console.WriteLine("done");
        Console.ReadLine();
        return 0;
    }
}
