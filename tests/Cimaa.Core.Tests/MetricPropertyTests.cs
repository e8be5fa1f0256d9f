using CsCheck;
using Cimaa.Metrics;

namespace Cimaa.Core.Tests;

/// <summary>Downsample-then-aggregate against a naive in-memory reference over random series.</summary>
public class MetricPropertyTests
{
    /// <summary>An epoch time that is not aligned to the odd window sizes below.</summary>
    private const long Base = 1_795_430_123_457;

    public sealed record Case(List<List<Sample>> Streams, long? Window, DownsampleFunction Downsample, AggregateFunction Aggregate)
    {
        public override string ToString() =>
            $"window={Window} ds={Downsample} agg={Aggregate} streams=[{string.Join(" | ", Streams.Select(s => string.Join(",", s.Select(p => $"{p.Time - Base}:{p.Value}"))))}]";
    }

    private static readonly Gen<List<Sample>> StreamGen =
        Gen.Select(Gen.Long[0, 4 * 3_600_000L], Gen.Int[-100_000, 100_000], (t, v) => new Sample(Base + t, v / 100m)).List[0, 40]
            .Select(points => points.GroupBy(p => p.Time).Select(g => g.First()).OrderBy(p => p.Time).ToList());

    private static readonly Gen<Case> CaseGen = Gen.Select(
        StreamGen.List[1, 6],
        Gen.OneOf(Gen.Const((long?)null), Gen.OneOfConst<long?>(1, 1000, 7_000, 60_000, 300_000, 3_600_000), Gen.Long[1, 900_000].Select(w => (long?)w)),
        Gen.Enum<DownsampleFunction>(),
        Gen.Enum<AggregateFunction>(),
        (streams, window, ds, agg) => new Case(streams, window, ds, agg));

    private static async Task<List<Sample>> Run(Case c)
    {
        var series = c.Streams.Select(s =>
        {
            var source = s.ToAsync();
            return c.Window is { } w ? MetricMath.Downsample(source, w, c.Downsample) : source;
        }).ToList();
        return await MetricMath.Aggregate(MetricMath.MergeByTime(series), c.Aggregate).ToListAsync();
    }

    /// <summary>The obvious, whole-data-in-memory way.</summary>
    private static List<Sample> Reference(Case c)
    {
        var downsampled = c.Streams.Select(s => c.Window is not { } w ? s : s
            .GroupBy(p => p.Time - p.Time % w)
            .OrderBy(g => g.Key)
            .Select(g => new Sample(g.Key, c.Downsample switch
            {
                DownsampleFunction.Avg => g.Sum(p => p.Value) / g.Count(),
                DownsampleFunction.Sum => g.Sum(p => p.Value),
                DownsampleFunction.Min => g.Min(p => p.Value),
                DownsampleFunction.Max => g.Max(p => p.Value),
                DownsampleFunction.Count => g.Count(),
                DownsampleFunction.First => g.First().Value,
                DownsampleFunction.Last => g.Last().Value,
                _ => throw new InvalidOperationException(),
            })).ToList());
        var byTime = downsampled.SelectMany(s => s).GroupBy(p => p.Time).OrderBy(g => g.Key)
            .Select(g => (Time: g.Key, Values: g.Select(p => p.Value).ToList())).ToList();
        if (c.Aggregate == AggregateFunction.Rate)
        {
            return byTime.Zip(byTime.Skip(1), (a, b) => new Sample(b.Time, (b.Values.Sum() - a.Values.Sum()) * 1000m / (b.Time - a.Time))).ToList();
        }
        return byTime.Select(g => new Sample(g.Time, c.Aggregate switch
        {
            AggregateFunction.Avg => g.Values.Sum() / g.Values.Count,
            AggregateFunction.Sum => g.Values.Sum(),
            AggregateFunction.Min => g.Values.Min(),
            AggregateFunction.Max => g.Values.Max(),
            AggregateFunction.Count => g.Values.Count,
            AggregateFunction.Dev => g.Values.Count < 2 ? 0m : (decimal)Math.Sqrt(
                g.Values.Select(v => Math.Pow((double)v - (double)g.Values.Average(), 2)).Sum() / (g.Values.Count - 1)),
            _ => throw new InvalidOperationException(),
        })).ToList();
    }

    [Fact]
    public void Downsample_then_aggregate_matches_the_reference_on_500_random_series()
    {
        var checkedCases = 0;
        CaseGen.Sample(c =>
        {
            var actual = Run(c).GetAwaiter().GetResult();
            var expected = Reference(c);
            Assert.Equal(expected.Select(p => p.Time), actual.Select(p => p.Time));
            for (var i = 0; i < expected.Count; i++)
            {
                if (c.Aggregate == AggregateFunction.Dev)
                    Assert.True(Math.Abs((double)(expected[i].Value - actual[i].Value)) <= 1e-9 * Math.Max(1, Math.Abs((double)expected[i].Value)),
                        $"dev at {expected[i].Time}: expected {expected[i].Value}, got {actual[i].Value}");
                else
                    Assert.Equal(expected[i].Value, actual[i].Value);
            }
            Interlocked.Increment(ref checkedCases);
        }, iter: 500);
        Assert.True(checkedCases >= 500, $"only {checkedCases} cases ran");
    }

    [Fact]
    public void Downsample_windows_start_on_multiples_of_the_window_and_are_strictly_increasing()
    {
        Gen.Select(StreamGen, Gen.Long[1, 3_600_000]).Sample((s, w) =>
        {
            var windows = MetricMath.Downsample(s.ToAsync(), w, DownsampleFunction.Count).ToListAsync().GetAwaiter().GetResult();
            Assert.All(windows, p => Assert.Equal(0, p.Time % w));
            Assert.Equal(s.Count, (int)windows.Sum(p => p.Value));
            Assert.True(windows.Zip(windows.Skip(1)).All(x => x.First.Time < x.Second.Time));
        }, iter: 500);
    }

    [Fact]
    public void Tag_strings_round_trip_any_keys_and_values()
    {
        var text = Gen.String[Gen.Char["=;%ab|,\u00e9 "], 1, 8];
        Gen.Dictionary(text, Gen.String[Gen.Char["=;%ab \u00e9"], 0, 8])[0, 6].Sample(tags =>
        {
            var s = MetricKeys.TagString(tags);
            Assert.Equal(tags.OrderBy(t => t.Key, StringComparer.Ordinal), MetricKeys.ParseTags(s));
            Assert.Equal(tags.Count == 0 ? 0 : tags.Count - 1, s.Count(ch => ch == ';'));
        }, iter: 500);
    }
}

internal static class AsyncTestExtensions
{
#pragma warning disable CS1998
    public static async IAsyncEnumerable<T> ToAsync<T>(this IEnumerable<T> source)
    {
        foreach (var item in source) yield return item;
    }
#pragma warning restore CS1998
}
