using System.Runtime.CompilerServices;
using Cimaa.Metrics;

namespace Cimaa.Kairos;

/// <summary>Counts of one query, shared by its groups: points read (sample_size) and non-numeric values left out.</summary>
public sealed class KairosStats
{
    private long _sampleSize, _skipped;

    /// <summary>The points read from the store before any reduction (KairosDB's sample_size).</summary>
    public long SampleSize => Interlocked.Read(ref _sampleSize);

    /// <summary>Non-numeric values left out because the query reduces points.</summary>
    public long SkippedNonNumeric => Interlocked.Read(ref _skipped);

    internal void Read() => Interlocked.Increment(ref _sampleSize);

    internal void Skip() => Interlocked.Increment(ref _skipped);
}

/// <summary>
/// One result of a query: the points of one group's streams, reduced as the metric asks. Steps, each streaming:
/// (1) Amondawa's downsample reduces each stream; (2) Amondawa's aggregate merges the streams by timestamp (MetricMath), else
/// the streams are merged in time order keeping every point; (3) limit keeps the first (asc) or last (desc) N points;
/// (4) the KairosDB aggregators run in order; (5) desc reverses the output, which is then held in memory (at most the limit's
/// worth when a limit is given). Non-numeric values are left out of any reduction and counted.
/// </summary>
public static class KairosEngine
{
    /// <param name="streams">The group's streams, each in ascending time order; ties between streams keep this order.</param>
    public static async IAsyncEnumerable<KairosValue> RunAsync(IReadOnlyList<IAsyncEnumerable<KairosValue>> streams, KairosMetricQuery metric,
        long queryStartMs, KairosStats stats, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var counted = streams.Select(s => Counted(s, stats, ct)).ToList();
        IAsyncEnumerable<KairosValue> series;
        if (metric.Downsample is not null || metric.Aggregate is not null)
        {
            var numeric = counted.Select(s => Numeric(s, stats, ct)).ToList();
            if (metric.Downsample is { } ds)
                numeric = numeric.Select(s => MetricMath.Downsample(s, ds.WindowMs, ds.Function, ct)).ToList();
            series = metric.Aggregate is { } fn
                ? Values(MetricMath.Aggregate(MetricMath.MergeByTime(numeric, ct), fn, ct), ct)
                : Merge(numeric.Select(s => Values(s, ct)).ToList(), ct);
        }
        else
        {
            series = Merge(counted, ct);
        }
        if (metric.Limit is { } limit) series = metric.Descending ? TakeLast(series, limit, ct) : Take(series, limit, ct);
        if (metric.Aggregators.Count > 0) series = Aggregate(Numeric(series, stats, ct), metric.Aggregators, queryStartMs, ct);
        if (!metric.Descending)
        {
            await foreach (var v in series.WithCancellation(ct).ConfigureAwait(false)) yield return v;
            yield break;
        }
        var all = new List<KairosValue>();
        await foreach (var v in series.WithCancellation(ct).ConfigureAwait(false)) all.Add(v);
        for (var i = all.Count - 1; i >= 0; i--) yield return all[i];
    }

    /// <summary>Merges time-ordered streams into one, in time order; equal times keep the order of the streams.</summary>
    public static IAsyncEnumerable<KairosValue> Merge(IReadOnlyList<IAsyncEnumerable<KairosValue>> streams, CancellationToken ct = default) =>
        TimeMerge.InTimeOrder(streams, v => v.Time, ct);

    private static async IAsyncEnumerable<KairosValue> Aggregate(IAsyncEnumerable<Sample> points, IReadOnlyList<KairosAggregator> aggregators,
        long queryStartMs, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var chain = new AggregatorChain(aggregators, queryStartMs);
        var output = new List<Sample>();
        await foreach (var p in points.WithCancellation(ct).ConfigureAwait(false))
        {
            chain.Push(p, output);
            foreach (var o in output) yield return new KairosValue(o.Time, o.Value);
            output.Clear();
        }
        chain.Complete(output);
        foreach (var o in output) yield return new KairosValue(o.Time, o.Value);
    }

    private static async IAsyncEnumerable<KairosValue> Counted(IAsyncEnumerable<KairosValue> stream, KairosStats stats,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var v in stream.WithCancellation(ct).ConfigureAwait(false))
        {
            stats.Read();
            yield return v;
        }
    }

    private static async IAsyncEnumerable<Sample> Numeric(IAsyncEnumerable<KairosValue> values, KairosStats stats,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var v in values.WithCancellation(ct).ConfigureAwait(false))
        {
            if (v.IsNumber) yield return new Sample(v.Time, v.Number);
            else stats.Skip();
        }
    }

    private static async IAsyncEnumerable<KairosValue> Values(IAsyncEnumerable<Sample> samples, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var s in samples.WithCancellation(ct).ConfigureAwait(false)) yield return new KairosValue(s.Time, s.Value);
    }

    private static async IAsyncEnumerable<KairosValue> Take(IAsyncEnumerable<KairosValue> values, int n,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (n <= 0) yield break;
        var taken = 0;
        await foreach (var v in values.WithCancellation(ct).ConfigureAwait(false))
        {
            yield return v;
            if (++taken == n) yield break;
        }
    }

    private static async IAsyncEnumerable<KairosValue> TakeLast(IAsyncEnumerable<KairosValue> values, int n,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var last = new Queue<KairosValue>(Math.Min(n, 4096));
        await foreach (var v in values.WithCancellation(ct).ConfigureAwait(false))
        {
            if (last.Count == n) last.Dequeue();
            last.Enqueue(v);
        }
        foreach (var v in last) yield return v;
    }
}
