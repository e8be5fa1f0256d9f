using System.Diagnostics;
using System.Globalization;

namespace Cimaa.Bench;

/// <summary>
/// One line of the report. Figure is what the goal is about (a ratio, or megabytes); Spread is its min-max over the runs.
/// Profile names the profile summary (in the same report) that shows where the time of a missed goal goes.
/// </summary>
public sealed record Result(string Name, string Cimaa, string Floor, string Figure, string Spread, string Goal, bool Met, string Note = "")
{
    public string? Profile { get; init; }
}

/// <summary>One interleaved run: Cimaa, the raw program, and PowerShell's own cost of the same pipeline, in seconds.</summary>
public sealed record FloorRun(double Cimaa, double Raw, double Shell)
{
    public double Floor => Raw + Shell;
    public double Ratio => Cimaa / Floor;
}

public static class Measure
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Seconds(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    public static async Task<double> SecondsAsync(Func<Task> action)
    {
        var sw = Stopwatch.StartNew();
        await action();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Runs Cimaa, the raw program and the PowerShell floor (none: 0) in turn, <paramref name="runs"/> times, rotating which goes
    /// first so that none always meets the warmest server or the coldest cache.
    /// </summary>
    public static async Task<List<FloorRun>> FloorAsync(int runs, Func<Task<double>> cimaa, Func<Task<double>> raw, Func<double>? shell)
    {
        var result = new List<FloorRun>();
        for (var i = 0; i < runs; i++)
        {
            double c = 0, r = 0, s = 0;
            var steps = new Func<Task>[]
            {
                async () => c = await cimaa(),
                async () => r = await raw(),
                () => { s = shell?.Invoke() ?? 0; return Task.CompletedTask; },
            };
            for (var k = 0; k < steps.Length; k++) await steps[(i + k) % steps.Length]();
            result.Add(new FloorRun(c, r, s));
            Console.WriteLine(Inv($"    run {i + 1}: cimaa {Ms(c)}, raw {Ms(r)}, shell {Ms(s)}, ratio {c / (r + s):0.00}"));
        }
        return result;
    }

    /// <summary>A row whose figure is Cimaa / (raw + shell): the median of the per-run ratios, with their min-max.</summary>
    public static Result FloorRow(string name, IReadOnlyList<FloorRun> runs, double goal, string rawName, string shellName, string note = "")
    {
        var ratio = Median(runs.Select(r => r.Ratio));
        var raw = Median(runs.Select(r => r.Raw));
        var shell = Median(runs.Select(r => r.Shell));
        var floor = shellName.Length == 0 ? $"{rawName} {Ms(raw)}" : $"{rawName} {Ms(raw)} + {shellName} {Ms(shell)}";
        return new Result(name, Ms(Median(runs.Select(r => r.Cimaa))), floor, Inv($"{ratio:0.00}×"),
            Inv($"{runs.Min(r => r.Ratio):0.00}–{runs.Max(r => r.Ratio):0.00}"), Inv($"≤ {goal:0.##}×"), ratio <= goal,
            Inv($"median of {runs.Count} runs") + (note.Length > 0 ? "; " + note : ""));
    }

    public static string Ms(double seconds) => seconds >= 10 ? Inv($"{seconds:0.0} s") : Inv($"{seconds * 1000:0.#} ms");

    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
