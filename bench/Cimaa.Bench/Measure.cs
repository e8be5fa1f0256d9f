using System.Diagnostics;

namespace Cimaa.Bench;

/// <summary>One line of the report. Figure is a ratio (Cimaa / baseline), or an absolute value for memory.</summary>
public sealed record Result(string Name, string Cimaa, string Baseline, double Figure, string Goal, bool Met, string Note = "");

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

    /// <summary>Runs Cimaa and the baseline alternately, <paramref name="runs"/> times each, and returns both medians in seconds.</summary>
    public static async Task<(double Cimaa, double Baseline)> PairAsync(int runs, Func<int, Task<double>> cimaa, Func<int, Task<double>> baseline)
    {
        var a = new List<double>();
        var b = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            // Alternate which goes first, so neither always meets a warmer server.
            if (i % 2 == 0) { a.Add(await cimaa(i)); b.Add(await baseline(i)); }
            else { b.Add(await baseline(i)); a.Add(await cimaa(i)); }
            Console.WriteLine(FormattableString.Invariant($"    run {i + 1}: cimaa {a[^1]:0.000} s, baseline {b[^1]:0.000} s"));
        }
        return (Median(a), Median(b));
    }

    public static Result Ratio(string name, (double Cimaa, double Baseline) medians, double goal, string note = "")
    {
        var ratio = medians.Cimaa / medians.Baseline;
        return new Result(name, $"{medians.Cimaa:0.000} s", $"{medians.Baseline:0.000} s", ratio, $"≤ {goal:0.##}×", ratio <= goal, note);
    }
}
