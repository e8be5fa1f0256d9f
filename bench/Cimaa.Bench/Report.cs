using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Cimaa.Testing;

namespace Cimaa.Bench;

/// <summary>Prints the table and writes bench/results/latest.md with the machine and the date.</summary>
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

    public static void Print(IEnumerable<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine($"{"Benchmark",-58} {"Cimaa",-34} {"Baseline",-10} {"Figure",8}  {"Goal",-8} Met");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name,-58} {r.Cimaa,-34} {r.Baseline,-10} {Figure(r),8}  {r.Goal,-8} {(r.Met ? "yes" : "NO")}");
        }
    }

    public static string Write(IReadOnlyList<Result> results, string command)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmark results").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine()}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{command}`");
        sb.AppendLine("- Each figure is Cimaa against a baseline measured in the same run (same dynalite or SQLite folder), medians of alternating runs.");
        sb.AppendLine();
        sb.AppendLine("| Benchmark | Cimaa | Baseline | Figure | Goal | Met | Notes |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Cimaa} | {r.Baseline} | {Figure(r)} | {r.Goal} | {(r.Met ? "yes" : "no")} | {r.Note} |");
        }
        var metrics = Path.Combine(RepoPaths.Root, "bench", "results", "metrics.md");
        if (File.Exists(metrics))
        {
            sb.AppendLine().AppendLine("## Metrics (from bench/Cimaa.Bench.Metrics, run just before)").AppendLine();
            foreach (var line in File.ReadLines(metrics).SkipWhile(l => !l.StartsWith("Machine", StringComparison.Ordinal))) sb.AppendLine(line);
        }
        var path = Path.Combine(RepoPaths.Root, "bench", "results", "latest.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static string Figure(Result r) => r.Goal.StartsWith('<') ? $"{r.Figure:0.0} MB" : $"{r.Figure:0.00}×";
}
