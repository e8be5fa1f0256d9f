using System.Globalization;
using System.Runtime.InteropServices;
using Cimaa.Testing;

internal static class Report
{
    private const string DynamoStart = "DynamoDB (";

    public static void Write(List<(string Step, Child.Figures F, string Note)> rows, int agents, int faultsPerAgent, int streams, int points, string sizes,
        List<(string Step, Child.Figures F, string Note)> dynamo, (int Agents, int Faults, int Streams, int Points) dynamoSize, string dynamoText)
    {
        var path = Path.Combine(RepoPaths.Root, "bench", "results", "export.md");
        var lines = rows.Count == 0 ? KeptSqlitePart(path) : SqlitePart(rows, agents, faultsPerAgent, streams, points, sizes);
        var scan = dynamo[1].F.Seconds;
        lines.AddRange([
            "",
            FormattableString.Invariant($"{DynamoStart}dynalite in memory, on the same machine): {dynamoSize.Agents * dynamoSize.Faults:N0} faults with their heartbeats and {dynamoSize.Streams * dynamoSize.Points:N0} datapoints, imported from an export of an SQLite file seeded the same way. Ratio: time / raw Scan; the Scan only reads, so the import's ratio compares writes with a read, for scale. {dynamoText}"),
            "",
            "| Step | Records | Time (s) | Ratio | Working set growth (MB) | Heap growth (MB) | Goal met | Note |",
            "|---|---:|---:|---:|---:|---:|---|---|",
        ]);
        foreach (var (step, f, note) in dynamo)
        {
            var ratio = step.Contains("baseline", StringComparison.Ordinal) ? "1.00" : (f.Seconds / scan).ToString("0.00", CultureInfo.InvariantCulture);
            lines.Add(FormattableString.Invariant(
                $"| {step} | {f.Records:N0} | {f.Seconds:0.00} | {ratio} | {f.WorkingSetMb:0.0} | {f.HeapMb:0.0} | {(f.WorkingSetMb < 50 ? "yes" : "no")} | {note} |"));
        }
        File.WriteAllLines(path, lines);
        Console.WriteLine($"Wrote {path}");
    }

    /// <summary>With --only dynamo: the file as it is before its DynamoDB part, which is rewritten.</summary>
    private static List<string> KeptSqlitePart(string path)
    {
        var kept = File.ReadAllLines(path).TakeWhile(l => !l.StartsWith(DynamoStart, StringComparison.Ordinal)).ToList();
        while (kept.Count > 0 && kept[^1].Length == 0) kept.RemoveAt(kept.Count - 1);
        return kept;
    }

    private static List<string> SqlitePart(List<(string Step, Child.Figures F, string Note)> rows, int agents, int faultsPerAgent, int streams, int points, string sizes)
    {
        var select = rows[0].F.Seconds;
        var copy = rows[3].F.Seconds;
        var lines = new List<string>
        {
            "# Export and import benchmark",
            "",
            $"Machine: {Environment.ProcessorCount} cores (shared with other work while this ran), {RuntimeInformation.OSDescription}, .NET {Environment.Version}. Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.",
            "",
            "Command: `dotnet run -c Release --project bench/Cimaa.Bench.Export`",
            "",
            FormattableString.Invariant($"Data (SQLite): {agents * faultsPerAgent:N0} faults of {agents:N0} agents with their heartbeats, and {streams * points:N0} datapoints ({streams} streams of {points:N0} points, 10 s apart, one metric). Export file: {sizes}."),
            "",
            "Each step runs once in a fresh process through Core's ExportService and ImportService (what the cmdlets call), after",
            "a warm-up (the same step on a small database of the same shape) and a full GC; a thread samples the working set and the",
            "managed heap every 5 ms, and the figures are the peak growth over the warmed-up process. Goal: working set growth under",
            "50 MB. Ratio: time / raw SELECT (the export rows) or time / raw copy (the import rows). The import writes one SQLite",
            "transaction per agent's faults, per heartbeat, per squelch and option, and per 1,000 points (each a WAL commit), where",
            "the raw copy commits once.",
            "",
            "| Step | Records | Time (s) | Ratio | Working set growth (MB) | Heap growth (MB) | Goal met | Note |",
            "|---|---:|---:|---:|---:|---:|---|---|",
        };
        foreach (var (step, f, note) in rows)
        {
            var baseline = step.Contains("Import", StringComparison.Ordinal) || step.Contains("copy", StringComparison.Ordinal) ? copy : select;
            var ratio = step.Contains("baseline", StringComparison.Ordinal) ? "1.00" : (f.Seconds / baseline).ToString("0.00", CultureInfo.InvariantCulture);
            lines.Add(FormattableString.Invariant(
                $"| {step} | {f.Records:N0} | {f.Seconds:0.00} | {ratio} | {f.WorkingSetMb:0.0} | {f.HeapMb:0.0} | {(f.WorkingSetMb < 50 ? "yes" : "no")} | {note} |"));
        }
        return lines;
    }
}
