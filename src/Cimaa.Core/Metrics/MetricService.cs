using System.Collections.Specialized;
using System.Runtime.CompilerServices;
using Cimaa.Storage;

namespace Cimaa.Metrics;

/// <summary>
/// The metric rules, above the store: key layout, expiry, index once per process (per client: <see cref="IndexCache"/>), tag
/// filtering, streaming reads, downsampling and aggregation.
/// </summary>
public sealed class MetricService(IMetricStore store, TimeProvider clock, TimeSpan retention) : IMetricClient
{
    /// <summary>How many column queries run at once in one Get.</summary>
    public const int ReadParallelism = 8;

    private TimeProvider Clock => clock;
    private long RetentionSeconds => (long)retention.TotalSeconds;

    /// <summary>The index entries this service has written, so that each is written once.</summary>
    public MetricIndexCache IndexCache { get; } = new();

    /// <summary>Writes validated points (the last of duplicates wins), and the index entries this process has not written yet.</summary>
    public async Task<IReadOnlyList<DataPoint>> WriteAsync(IReadOnlyList<ValidMetric> metrics, OpContext op)
    {
        await WritePointsAsync(metrics, null, op).ConfigureAwait(false);
        return metrics.Select(ToDataPoint).ToList();
    }

    /// <summary>
    /// Writes validated points as <see cref="WriteAsync"/> does, without building the emitted objects. A non-null
    /// <paramref name="ttlSeconds"/>[i] replaces the retention of metrics[i] (KairosDB's ttl); an index entry then lives as
    /// long as the longer of the two, and one that outlives the retention is written even if this client wrote it before.
    /// </summary>
    public async Task WritePointsAsync(IReadOnlyList<ValidMetric> metrics, IReadOnlyList<long?>? ttlSeconds, OpContext op)
    {
        var now = Epoch.Now(Clock);
        var retention = RetentionSeconds;
        var points = new Dictionary<(string, long), DataPointRecord>();
        var index = new Dictionary<(string, string), MetricIndexRecord>();
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            var keep = ttlSeconds?[i] ?? retention;
            var bt = MetricKeys.BaseTime(m.TimestampMs);
            var key = MetricKeys.Key(m.Domain, m.Name, bt, m.TagString);
            var expires = MetricKeys.PointExpires(m.TimestampMs, keep);
            points[(key, m.TimestampMs - bt)] = new DataPointRecord(key, m.TimestampMs - bt, m.Number, m.Json, expires);
            var dm = MetricKeys.DomainMetric(m.Domain, m.Name);
            var baseTag = MetricKeys.BaseTag(bt, m.TagString);
            var indexExpires = MetricKeys.IndexExpires(bt, Math.Max(keep, retention));
            if (keep > retention || !IndexCache.Contains(dm, baseTag))
            {
                if (!index.TryGetValue((dm, baseTag), out var e) || e.Expires < indexExpires)
                    index[(dm, baseTag)] = new MetricIndexRecord(dm, baseTag, indexExpires);
            }
        }
        op.Log.Verbose($"Writing {points.Count} datapoints and {index.Count} index entries");
        await store.WriteMetricsAsync(index.Values.ToList(), points.Values.ToList(), now, op).ConfigureAwait(false);
        // Only once committed: an entry rolled back with its batch must be written again by the next write.
        op.AfterCommit(() => { foreach (var e in index.Values) IndexCache.Add(e.DomainMetric, e.BaseTag); });
    }

    /// <summary>A validated point as the DataPoint that was written.</summary>
    public static DataPoint ToDataPoint(ValidMetric m) => new()
    {
        Domain = m.Domain,
        Name = m.Name,
        Tags = Ordered(m.Tags),
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(m.TimestampMs),
        Value = Restore(m.Number, m.Json),
    };

    /// <inheritdoc/>
    public MetricQuery CreateQuery(IReadOnlyList<string> names, object? start, object? end, string domain, IReadOnlyDictionary<string, string[]>? tags,
        TimeSpan? downsample, string downsampleFunction = "avg", string? aggregate = null) =>
        MetricQuery.Create(Clock, names, start, end, domain, tags, downsample, downsampleFunction, aggregate);

    /// <summary>Metric names of a domain, sorted, from unexpired index entries.</summary>
    public async IAsyncEnumerable<string> GetNamesAsync(string? domain, OpContext op)
    {
        domain = MetricValidation.CheckDomain(domain);
        var prefix = domain + MetricKeys.Separator;
        var now = Epoch.Now(Clock);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var e in store.ScanMetricIndexAsync(prefix, op))
        {
            if (e.Expires > now && e.DomainMetric.StartsWith(prefix, StringComparison.Ordinal)) names.Add(e.DomainMetric[prefix.Length..]);
        }
        foreach (var n in names) yield return n;
    }

    /// <summary>Each tag key of a metric with its values, sorted, from unexpired index entries.</summary>
    public async IAsyncEnumerable<MetricTag> GetTagsAsync(string name, string? domain, OpContext op)
    {
        domain = MetricValidation.CheckDomain(domain);
        name = MetricValidation.CheckName(name);
        var now = Epoch.Now(Clock);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tags = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        await foreach (var e in store.GetMetricIndexAsync(MetricKeys.DomainMetric(domain, name), null, null, op))
        {
            if (e.Expires <= now) continue;
            var (_, tagString) = MetricKeys.ParseBaseTag(e.BaseTag);
            if (!seen.Add(tagString)) continue;
            foreach (var (k, v) in MetricKeys.ParseTags(tagString))
            {
                if (!tags.TryGetValue(k, out var values)) tags[k] = values = new SortedSet<string>(StringComparer.Ordinal);
                values.Add(v);
            }
        }
        foreach (var (k, values) in tags) yield return new MetricTag { Domain = domain, Name = name, Key = k, Values = values.ToArray() };
    }

    /// <summary>
    /// Streams the query's points: per name, raw points stream by stream (sorted by tagstring) in time order; with -Downsample, one
    /// point per window per stream; with -Aggregate, one merged series per name, whose Tags map each key to the values of the
    /// streams that gave at least one number in range (KairosDB's group tags). Non-numeric values are skipped (one warning)
    /// whenever a downsample or an aggregate is asked for.
    /// </summary>
    public async IAsyncEnumerable<DataPoint> QueryAsync(MetricQuery query, OpContext op)
    {
        var domain = MetricValidation.CheckDomain(query.Domain);
        var startMs = Math.Max(0, query.Start.ToUnixTimeMilliseconds());
        var endMs = query.End.ToUnixTimeMilliseconds();
        var windowMs = query.Downsample is { } ds ? (long)ds.TotalMilliseconds : 0;
        if (query.Downsample is not null && windowMs <= 0)
            throw new CimaaException(ErrorIds.InvalidTime, CimaaErrorCategory.InvalidArgument, $"The downsample window {query.Downsample} is not positive.", query.Downsample);
        var numericOnly = windowMs > 0 || query.Aggregate is not null;
        var now = Epoch.Now(Clock);
        var skipped = new SkipCounter();
        using var gate = new SemaphoreSlim(ReadParallelism);
        var names = query.Names.Select(n => MetricValidation.CheckName(n)).Distinct(StringComparer.Ordinal).ToList();
        if (endMs < startMs) names.Clear();
        if (query.Aggregate is null)
        {
            // Streams one after another, in name then tagstring order; their columns are read as one sequence, so the reads of
            // the next streams (and names) start while the current one is emitted, never more than ReadParallelism at once.
            var all = new List<MetricStream>();
            foreach (var name in names)
            {
                var found = await FindStreamsAsync(domain, name, startMs, endMs, query.Tags, now, op);
                op.Log.Verbose($"Metric {name}: {found.Count} streams, {found.Sum(s => s.BaseTimes.Count)} hour columns");
                all.AddRange(found);
            }
            var columns = all.SelectMany(s => s.BaseTimes.Select(bt => (Stream: s, BaseTime: bt)))
                .SelectOrderedAsync(ReadParallelism, (c, token) => ReadColumnAsync(c.Stream, c.BaseTime, startMs, endMs, now, gate, op with { Token = token }), op.Token);
            await using var feed = columns.GetAsyncEnumerator(op.Token);
            foreach (var stream in all)
            {
                var points = NextColumns(feed, stream.BaseTimes.Count);
                if (!numericOnly)
                {
                    await foreach (var (time, number, json) in points.WithCancellation(op.Token))
                        yield return Point(domain, stream.Name, Ordered(stream.Tags), time, Restore(number, json));
                    continue;
                }
                await foreach (var s in MetricMath.Downsample(Numeric(points, skipped), windowMs, query.DownsampleFunction, op.Token))
                    yield return Point(domain, stream.Name, Ordered(stream.Tags), s.Time, s.Value);
            }
        }
        else
        {
            var aggregate = query.Aggregate.Value;
            foreach (var name in names)
            {
                var streams = await FindStreamsAsync(domain, name, startMs, endMs, query.Tags, now, op);
                op.Log.Verbose($"Metric {name}: {streams.Count} streams, {streams.Sum(s => s.BaseTimes.Count)} hour columns");
                if (streams.Count == 0) continue;
                var readAhead = Math.Max(2, ReadParallelism / streams.Count);
                var contributed = new bool[streams.Count];
                var series = streams.Select((stream, i) =>
                {
                    var samples = Numeric(ReadStream(stream, startMs, endMs, now, readAhead, gate, op), skipped);
                    var s = windowMs > 0 ? MetricMath.Downsample(samples, windowMs, query.DownsampleFunction, op.Token) : samples;
                    return Marked(s, contributed, i);
                }).ToList();
                SortedDictionary<string, string[]>? multimap = null;
                await foreach (var s in MetricMath.Aggregate(MetricMath.MergeByTime(series, op.Token), aggregate, op.Token))
                {
                    // The merge reads the first sample of every stream before it gives its first group, so by now each stream
                    // that has a number in range is marked, and no other stream ever will be.
                    multimap ??= Multimap(streams.Where((_, i) => contributed[i]));
                    yield return Point(domain, name, Copy(multimap), s.Time, s.Value);
                }
            }
        }
        if (skipped.Count > 0)
        {
            op.Log.Warning($"Skipped {skipped.Count} non-numeric values: -Downsample and -Aggregate work on numbers only.");
        }
    }

    /// <summary>
    /// The streams of one metric whose tags match, sorted by tagstring, for a caller that groups and reduces them itself (the
    /// server's KairosDB queries). Each stream reads its points in [startMs, endMs] in time order only when enumerated, its
    /// columns with a bounded read-ahead; a point is a number's invariant text or a JSON text.
    /// </summary>
    public async Task<IReadOnlyList<(SortedDictionary<string, string> Tags, IAsyncEnumerable<(long Time, string? Number, string? Json)> Points)>>
        GetStreamsAsync(string? domain, string name, long startMs, long endMs, IReadOnlyDictionary<string, string[]>? tags, OpContext op)
    {
        domain = MetricValidation.CheckDomain(domain);
        name = MetricValidation.CheckName(name);
        startMs = Math.Max(0, startMs);
        if (endMs < startMs) return [];
        var now = Epoch.Now(Clock);
        var streams = await FindStreamsAsync(domain, name, startMs, endMs, tags, now, op);
        var gate = new SemaphoreSlim(ReadParallelism);
        var readAhead = Math.Max(2, ReadParallelism / Math.Max(1, streams.Count));
        return streams.Select(s => (s.Tags, ReadStream(s, startMs, endMs, now, readAhead, gate, op))).ToList();
    }

    private sealed record MetricStream(string TagString, SortedDictionary<string, string> Tags, List<long> BaseTimes, string Domain, string Name);

    private sealed class SkipCounter
    {
        private long _count;
        public long Count => Interlocked.Read(ref _count);
        public void Add() => Interlocked.Increment(ref _count);
    }

    /// <summary>Reads the index range for [start, end] and keeps the streams whose tags match, sorted by tagstring.</summary>
    private async Task<List<MetricStream>> FindStreamsAsync(string domain, string name, long startMs, long endMs,
        IReadOnlyDictionary<string, string[]>? filter, long now, OpContext op)
    {
        var (from, to) = MetricKeys.BaseTagRange(startMs, endMs);
        var streams = new SortedDictionary<string, MetricStream>(StringComparer.Ordinal);
        var rejected = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in store.GetMetricIndexAsync(MetricKeys.DomainMetric(domain, name), from, to, op))
        {
            if (e.Expires <= now) continue;
            var (bt, tagString) = MetricKeys.ParseBaseTag(e.BaseTag);
            if (!streams.TryGetValue(tagString, out var stream))
            {
                if (rejected.Contains(tagString)) continue;
                var tags = MetricKeys.ParseTags(tagString);
                if (!Matches(tags, filter))
                {
                    rejected.Add(tagString);
                    continue;
                }
                streams[tagString] = stream = new MetricStream(tagString, tags, [], domain, name);
            }
            stream.BaseTimes.Add(bt);
        }
        foreach (var s in streams.Values) s.BaseTimes.Sort();
        return streams.Values.ToList();
    }

    /// <summary>Exact matches: every filter key present with one of its values.</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> tags, IReadOnlyDictionary<string, string[]>? filter)
    {
        if (filter is null) return true;
        foreach (var (key, values) in filter)
        {
            if (!tags.TryGetValue(key, out var v) || !values.Contains(v, StringComparer.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>One stream's points in time order: its columns read with up to <paramref name="readAhead"/> ahead, all reads gated.</summary>
    private async IAsyncEnumerable<(long Time, string? Number, string? Json)> ReadStream(MetricStream stream, long startMs, long endMs, long now,
        int readAhead, SemaphoreSlim gate, OpContext op, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var columns = stream.BaseTimes.SelectOrderedAsync(readAhead,
            (bt, token) => ReadColumnAsync(stream, bt, startMs, endMs, now, gate, op with { Token = token }), op.Token);
        await foreach (var (bt, list) in columns.WithCancellation(ct).ConfigureAwait(false))
        {
            foreach (var p in list) yield return (bt + p.Offset, p.Number, p.Json);
        }
    }

    /// <summary>The points of the next <paramref name="count"/> columns of a shared feed: one stream's share of it.</summary>
    private static async IAsyncEnumerable<(long Time, string? Number, string? Json)> NextColumns(
        IAsyncEnumerator<(long BaseTime, List<DataPointRecord> Points)> feed, int count)
    {
        for (var i = 0; i < count && await feed.MoveNextAsync().ConfigureAwait(false); i++)
        {
            var (bt, list) = feed.Current;
            foreach (var p in list) yield return (bt + p.Offset, p.Number, p.Json);
        }
    }

    /// <summary>One column's unexpired points in [start, end], read while holding the query's gate.</summary>
    private async Task<(long BaseTime, List<DataPointRecord> Points)> ReadColumnAsync(MetricStream stream, long bt, long startMs, long endMs,
        long now, SemaphoreSlim gate, OpContext op)
    {
        await gate.WaitAsync(op.Token).ConfigureAwait(false);
        try
        {
            var key = MetricKeys.Key(stream.Domain, stream.Name, bt, stream.TagString);
            var from = Math.Max(0, startMs - bt);
            var to = Math.Min(MetricKeys.ColumnMs - 1, endMs - bt);
            var list = new List<DataPointRecord>();
            await foreach (var p in store.GetDataPointsAsync(key, from, to, op).WithCancellation(op.Token).ConfigureAwait(false))
            {
                if (p.Expires > now) list.Add(p);
            }
            return (bt, list);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async IAsyncEnumerable<Sample> Numeric(IAsyncEnumerable<(long Time, string? Number, string? Json)> points, SkipCounter skipped,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var (time, number, _) in points.WithCancellation(ct).ConfigureAwait(false))
        {
            if (number is null) skipped.Add();
            else yield return new Sample(time, MetricValues.ParseNumber(number));
        }
    }

    /// <summary>Passes the samples through, marking <paramref name="seen"/>[<paramref name="index"/>] once the stream gives one.</summary>
    private static async IAsyncEnumerable<Sample> Marked(IAsyncEnumerable<Sample> samples, bool[] seen, int index,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var s in samples.WithCancellation(ct).ConfigureAwait(false))
        {
            seen[index] = true;
            yield return s;
        }
    }

    private static DataPoint Point(string domain, string name, OrderedDictionary tags, long time, object? value) => new()
    {
        Domain = domain,
        Name = name,
        Tags = tags,
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(time),
        Value = value,
    };

    private static object? Restore(string? number, string? json) =>
        number is not null ? MetricValues.ParseNumber(number) : json is not null ? MetricValues.FromJson(json) : null;

    private static OrderedDictionary Ordered(IEnumerable<KeyValuePair<string, string>> tags)
    {
        var d = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var (k, v) in tags) d[k] = v;
        return d;
    }

    private static SortedDictionary<string, string[]> Multimap(IEnumerable<MetricStream> streams)
    {
        var sets = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var s in streams)
        {
            foreach (var (k, v) in s.Tags)
            {
                if (!sets.TryGetValue(k, out var set)) sets[k] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(v);
            }
        }
        return new SortedDictionary<string, string[]>(sets.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), StringComparer.Ordinal);
    }

    private static OrderedDictionary Copy(SortedDictionary<string, string[]> multimap)
    {
        var d = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var (k, v) in multimap) d[k] = (string[])v.Clone();
        return d;
    }
}
