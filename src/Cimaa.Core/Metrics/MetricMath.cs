using System.Runtime.CompilerServices;

namespace Cimaa.Metrics;

/// <summary>A numeric point: epoch milliseconds and a value.</summary>
public readonly record struct Sample(long Time, decimal Value);

public enum DownsampleFunction { Avg, Sum, Min, Max, Count, First, Last }

public enum AggregateFunction { Avg, Sum, Min, Max, Dev, Count, Rate }

/// <summary>
/// Downsampling and aggregation over time-ordered streams. Each holds at most one window (or one timestamp) per stream.
/// The definitions are in docs/design.md ("Metrics").
/// </summary>
public static class MetricMath
{
    /// <summary>Windows aligned to the epoch (start = t - t mod w); one point per non-empty window, at its start.</summary>
    public static async IAsyncEnumerable<Sample> Downsample(IAsyncEnumerable<Sample> points, long windowMs, DownsampleFunction fn,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowMs);
        var open = false;
        long start = 0, count = 0;
        decimal sum = 0, min = 0, max = 0, first = 0, last = 0;
        await foreach (var p in points.WithCancellation(ct).ConfigureAwait(false))
        {
            var w = p.Time - p.Time % windowMs;
            if (open && w != start)
            {
                yield return new Sample(start, Result());
                open = false;
            }
            if (!open)
            {
                open = true;
                start = w;
                count = 0;
                sum = 0;
                min = max = first = p.Value;
            }
            count++;
            sum += p.Value;
            if (p.Value < min) min = p.Value;
            if (p.Value > max) max = p.Value;
            last = p.Value;
        }
        if (open) yield return new Sample(start, Result());

        decimal Result() => fn switch
        {
            DownsampleFunction.Avg => sum / count,
            DownsampleFunction.Sum => sum,
            DownsampleFunction.Min => min,
            DownsampleFunction.Max => max,
            DownsampleFunction.Count => count,
            DownsampleFunction.First => first,
            DownsampleFunction.Last => last,
            _ => throw new ArgumentOutOfRangeException(nameof(fn)),
        };
    }

    /// <summary>
    /// Merges time-ordered streams into groups of the values that share a timestamp, in time order.
    /// Holds the head of each stream and the values of one timestamp. The first sample of every stream is read before the
    /// first group is given, so a caller knows then which streams have any sample (MetricService's aggregated tags rely on it).
    /// </summary>
    public static async IAsyncEnumerable<(long Time, List<decimal> Values)> MergeByTime(IReadOnlyList<IAsyncEnumerable<Sample>> streams,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        List<decimal>? values = null;
        long time = 0;
        await foreach (var s in TimeMerge.InTimeOrder(streams, s => s.Time, ct).ConfigureAwait(false))
        {
            if (values is not null && s.Time != time)
            {
                yield return (time, values);
                values = null;
            }
            if (values is null)
            {
                values = [];
                time = s.Time;
            }
            values.Add(s.Value);
        }
        if (values is not null) yield return (time, values);
    }

    /// <summary>Aggregates each timestamp's values into one point (rate: the per-second change of the per-timestamp sum).</summary>
    public static async IAsyncEnumerable<Sample> Aggregate(IAsyncEnumerable<(long Time, List<decimal> Values)> groups, AggregateFunction fn,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        (long Time, decimal Sum)? previous = null;
        await foreach (var (time, values) in groups.WithCancellation(ct).ConfigureAwait(false))
        {
            if (values.Count == 0) continue;
            if (fn == AggregateFunction.Rate)
            {
                var sum = Sum(values);
                if (previous is { } p) yield return new Sample(time, (sum - p.Sum) * 1000m / (time - p.Time));
                previous = (time, sum);
                continue;
            }
            yield return new Sample(time, Reduce(values, fn));
        }
    }

    public static decimal Reduce(IReadOnlyList<decimal> values, AggregateFunction fn) => fn switch
    {
        AggregateFunction.Avg => Sum(values) / values.Count,
        AggregateFunction.Sum => Sum(values),
        AggregateFunction.Min => values.Min(),
        AggregateFunction.Max => values.Max(),
        AggregateFunction.Count => values.Count,
        AggregateFunction.Dev => SampleStandardDeviation(values),
        _ => throw new ArgumentOutOfRangeException(nameof(fn)),
    };

    /// <summary>sqrt(sum((v - mean)^2) / (n - 1)); 0 for a single value. The squares are summed in double.</summary>
    public static decimal SampleStandardDeviation(IReadOnlyList<decimal> values)
    {
        if (values.Count < 2) return 0m;
        var mean = Sum(values) / values.Count;
        var squares = 0.0;
        foreach (var v in values)
        {
            var d = (double)(v - mean);
            squares += d * d;
        }
        return (decimal)Math.Sqrt(squares / (values.Count - 1));
    }

    private static decimal Sum(IReadOnlyList<decimal> values)
    {
        var sum = 0m;
        foreach (var v in values) sum += v;
        return sum;
    }
}
