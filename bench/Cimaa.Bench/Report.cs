using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Cimaa.Testing;

namespace Cimaa.Bench;

/// <summary>Prints the tables and writes bench/results/latest.md with the machine, its load, the date and the profiles of missed goals.</summary>
public static class Report
{
    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, " +
               $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>The 1, 5 and 15 minute load averages, as uptime shows them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static void Print(IEnumerable<Result> results, IEnumerable<CurveRow> curve)
    {
        Console.WriteLine();
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name,-80} {r.Figure,7} ({r.Spread,-11}) goal {r.Goal,-22} {(r.Met ? "met" : "NOT MET")}");
        }
        foreach (var c in curve)
        {
            Console.WriteLine(Measure.Inv($"{c.Cmdlet,-16} {c.Store,-8} {c.Size,-14} {Measure.Ms(c.Seconds),10} {PerItem(c),12} heap +{c.HeapMb:0.0} MB, ws +{c.WorkingSetMb:0.0} MB {(c.Met ? "met" : "NOT MET")}"));
        }
    }

    public static string Write(IReadOnlyList<Result> results, IReadOnlyList<CurveRow> curve, IReadOnlyDictionary<string, string> profiles,
        IReadOnlyList<string> load, string command)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmark results").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine()}");
        sb.AppendLine($"- Load average (1, 5, 15 min) at the start: {load[0]}; after the figures: {load.ElementAtOrDefault(1)}; " +
                      $"after the cost curve: {load.ElementAtOrDefault(2)}. The machine is shared: a load above the core count slows " +
                      "both sides of a figure, and widens its spread.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{command}`");
        sb.AppendLine("- Each figure is Cimaa / floor, measured in one run: Cimaa, the raw program and PowerShell's own cost (bench/FloorModule, " +
                      "a compiled cmdlet emitting or binding the same objects in the same runspace) take turns, the order rotating each run. " +
                      "Figure = the median of the per-run ratios; Spread = their min–max. A missed goal links to the profile of its workload below.");
        sb.AppendLine();
        sb.AppendLine("| Benchmark | Cimaa | Floor | Figure | Spread | Goal | Met | Notes |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var met = r.Met ? "yes" : r.Profile is { } p && profiles.ContainsKey(p) ? $"no: [profile](#profile-{p})" : "no";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Cimaa} | {r.Floor} | {r.Figure} | {r.Spread} | {r.Goal} | {met} | {r.Note} |");
        }
        if (curve.Count > 0)
        {
            sb.AppendLine().AppendLine("## Cost curve").AppendLine();
            sb.AppendLine("Each size in a fresh process: import, connect, a small warm-up, then 3 timed runs (piped to Out-Null for the reads; " +
                          "Set-CimaaFault gets records made beforehand). Memory is the peak growth of the managed heap and of the working set over " +
                          "the warmed process, sampled every 5 ms. Faults: 10 per agent read, 5 per agent written. Metrics: 10 streams, one point a " +
                          "minute, queried with -Downsample 1m over the last 1 h, 24 h and 7 d of 7 days written.").AppendLine();
            sb.AppendLine("| Cmdlet | Store | Size | Items | Time (median of 3) | Spread | Per 1,000 items | Heap peak | Working set peak | Goal | Met |");
            sb.AppendLine("|---|---|---|---:|---:|---|---:|---:|---:|---|---|");
            foreach (var c in curve)
            {
                sb.AppendLine(Measure.Inv($"| {c.Cmdlet} | {c.Store} | {c.Size} | {c.Items:N0} | {Measure.Ms(c.Seconds)} | {Measure.Ms(c.MinSeconds)}–{Measure.Ms(c.MaxSeconds)} | {PerItem(c)} | +{c.HeapMb:0.0} MB | +{c.WorkingSetMb:0.0} MB | {c.Goal} | {(c.Met ? "yes" : "no")} |"));
            }
        }
        if (profiles.Count > 0)
        {
            sb.AppendLine().AppendLine("## Profiles of the missed goals").AppendLine();
            foreach (var (key, summary) in profiles)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"<a id=\"profile-{key}\"></a>").AppendLine(CultureInfo.InvariantCulture, $"### {key}").AppendLine().AppendLine(summary.TrimEnd()).AppendLine();
            }
        }
        var path = Path.Combine(RepoPaths.Root, "bench", "results", "latest.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static string PerItem(CurveRow c) => Measure.Ms(c.Seconds / c.Items * 1000);
}
