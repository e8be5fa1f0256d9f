using System.Collections;
using System.Collections.Specialized;
using Cimaa.Metrics;

namespace Cimaa.Core.Tests;

/// <summary>Metrics (IMetricStore through MetricService).</summary>
public abstract class MetricStoreContractTests<TBackend> : StoreContractTests<TBackend> where TBackend : IContractBackend, new()
{
    /// <summary>2026-11-23 10:00:00Z, on an hour column; the clock stands at 12:00.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private MetricService Metrics => (MetricService)Client.Metrics;

    private Task WriteAsync(params (string Name, object Value, string Tags, double Seconds)[] points) => WriteInAsync("default", points);

    private async Task WriteInAsync(string domain, params (string Name, object Value, string Tags, double Seconds)[] points)
    {
        var inputs = points.Select(p => new MetricInput(p.Name, p.Value, Tags(p.Tags), T0.AddSeconds(p.Seconds), domain));
        await Metrics.WriteAsync(MetricValidation.Validate(inputs, Clock.GetUtcNow()), Op);
    }

    /// <summary>"host=a,dc=eu" as tag pairs.</summary>
    private static List<KeyValuePair<object?, object?>>? Tags(string tags) =>
        tags.Length == 0 ? null : tags.Split(',').Select(t => t.Split('=')).Select(kv => new KeyValuePair<object?, object?>(kv[0], kv[1])).ToList();

    private Task<List<DataPoint>> QueryAsync(string name, double from = 0, double to = 7200, Dictionary<string, string[]>? tags = null,
        int? downsample = null, DownsampleFunction fn = DownsampleFunction.Avg, AggregateFunction? aggregate = null, string domain = "default") =>
        Metrics.QueryAsync(new MetricQuery([name], T0.AddSeconds(from), T0.AddSeconds(to), domain, tags,
            downsample is { } d ? TimeSpan.FromSeconds(d) : null, fn, aggregate), Op).ToListAsync();

    private static string Tagline(DataPoint p) => string.Join(";", p.Tags.Cast<DictionaryEntry>().Select(e =>
        $"{e.Key}={(e.Value is string[] a ? string.Join(",", a) : e.Value)}"));

    private static (double Seconds, decimal Value)[] Series(IEnumerable<DataPoint> points) =>
        points.Select(p => ((p.Timestamp - T0).TotalSeconds, (decimal)p.Value!)).ToArray();

    /// <summary>cpu: a (dc=eu) 1,3,5,7 at 0,30,60,150 s; b (dc=eu) 10,20 at 10,70 s; c (dc=us) 100 at 20 s.</summary>
    private Task WriteCpuAsync() => WriteAsync(
        ("cpu", 1, "host=a,dc=eu", 0), ("cpu", 3, "host=a,dc=eu", 30), ("cpu", 5, "host=a,dc=eu", 60), ("cpu", 7, "host=a,dc=eu", 150),
        ("cpu", 10, "host=b,dc=eu", 10), ("cpu", 20, "host=b,dc=eu", 70),
        ("cpu", 100, "host=c,dc=us", 20));

    [Fact]
    public async Task Metrics_raw_points_come_stream_by_stream_in_time_order_as_decimals_with_sorted_tags()
    {
        await WriteCpuAsync();
        var points = await QueryAsync("cpu");
        Assert.Equal(["dc=eu;host=a", "dc=eu;host=a", "dc=eu;host=a", "dc=eu;host=a", "dc=eu;host=b", "dc=eu;host=b", "dc=us;host=c"],
            points.Select(Tagline));
        Assert.Equal([(0, 1m), (30, 3m), (60, 5m), (150, 7m), (10, 10m), (70, 20m), (20, 100m)], Series(points));
        Assert.All(points, p => Assert.IsType<decimal>(p.Value));
        Assert.All(points, p => Assert.Equal(("default", "cpu", TimeSpan.Zero), (p.Domain, p.Name, p.Timestamp.Offset)));
        Assert.IsType<OrderedDictionary>(points[0].Tags);
        Assert.Equal("eu", points[0].Tags["dc"]);
    }

    [Fact]
    public async Task Metrics_numbers_keep_their_precision_and_timestamps_keep_milliseconds()
    {
        var t = T0.AddMilliseconds(1234.5678);
        var inputs = new[]
        {
            new MetricInput("m", 0.1, null, t, null),
            new MetricInput("m", 123456789012345678L, null, t.AddMilliseconds(1), null),
            new MetricInput("m", 1.5m, null, t.AddMilliseconds(2), null),
            new MetricInput("m", "42.25", null, t.AddMilliseconds(3), null),
        };
        await Metrics.WriteAsync(MetricValidation.Validate(inputs, Clock.GetUtcNow()), Op);
        var points = await QueryAsync("m");
        Assert.Equal([0.1m, 123456789012345678m, 1.5m, 42.25m], points.Select(p => (decimal)p.Value!));
        Assert.Equal(T0.AddMilliseconds(1234), points[0].Timestamp);
        Assert.Equal(1235, (points[1].Timestamp - T0).TotalMilliseconds);
    }

    [Fact]
    public async Task Metrics_tag_filter_is_AND_across_keys_OR_within_an_array_and_exact()
    {
        await WriteCpuAsync();
        await WriteAsync(("cpu", 1000, "host=aa,dc=eu", 5));
        async Task<string[]> Hosts(Dictionary<string, string[]>? f) =>
            (await QueryAsync("cpu", tags: f)).Select(p => (string)p.Tags["host"]!).Distinct().ToArray();
        Assert.Equal(new[] { "a", "aa", "b", "c" }, (await Hosts(null)).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "aa", "b"], await Hosts(new() { ["dc"] = ["eu"] }));
        Assert.Equal(["a"], await Hosts(new() { ["dc"] = ["eu"], ["host"] = ["a"] }));
        Assert.Equal(["a", "c"], await Hosts(new() { ["host"] = ["a", "c"] }));
        Assert.Empty(await Hosts(new() { ["dc"] = ["us"], ["host"] = ["a"] }));
        Assert.Empty(await Hosts(new() { ["rack"] = ["1"] }));
        Assert.Empty(await Hosts(new() { ["dc"] = ["e"] }));
    }

    [Fact]
    public async Task Metrics_start_and_end_are_inclusive_and_span_hour_columns()
    {
        await WriteAsync(("x", 1, "", 3599.999), ("x", 2, "", 3600), ("x", 3, "", 3600.001), ("x", 4, "", 7300));
        Assert.Equal([1m, 2m], (await QueryAsync("x", 3599.999, 3600)).Select(p => (decimal)p.Value!));
        Assert.Equal([3m], (await QueryAsync("x", 3600.001, 3601)).Select(p => (decimal)p.Value!));
        Assert.Equal([1m, 2m, 3m, 4m], (await QueryAsync("x", 0, 7300)).Select(p => (decimal)p.Value!));
        Assert.Empty(await QueryAsync("x", 7300.001, 9000));
    }

    [Theory]
    [InlineData(DownsampleFunction.Avg, new[] { 2.0, 5, 7 })]
    [InlineData(DownsampleFunction.Sum, new[] { 4.0, 5, 7 })]
    [InlineData(DownsampleFunction.Min, new[] { 1.0, 5, 7 })]
    [InlineData(DownsampleFunction.Max, new[] { 3.0, 5, 7 })]
    [InlineData(DownsampleFunction.Count, new[] { 2.0, 1, 1 })]
    [InlineData(DownsampleFunction.First, new[] { 1.0, 5, 7 })]
    [InlineData(DownsampleFunction.Last, new[] { 3.0, 5, 7 })]
    public async Task Metrics_downsample_gives_one_point_per_window_at_its_start(DownsampleFunction fn, double[] expected)
    {
        await WriteCpuAsync();
        var points = await QueryAsync("cpu", tags: new() { ["host"] = ["a"] }, downsample: 60, fn: fn);
        Assert.Equal([(0, (decimal)expected[0]), (60, (decimal)expected[1]), (120, (decimal)expected[2])], Series(points));
        Assert.Equal("dc=eu;host=a", Tagline(points[0]));
    }

    [Fact]
    public async Task Metrics_downsample_windows_are_aligned_to_the_epoch_and_empty_windows_are_omitted()
    {
        await WriteCpuAsync();
        var thirty = await QueryAsync("cpu", tags: new() { ["host"] = ["a"] }, downsample: 30);
        Assert.Equal([(0, 1m), (30, 3m), (60, 5m), (150, 7m)], Series(thirty));
        // One-day windows start at midnight UTC, not at the query's start.
        var day = await QueryAsync("cpu", from: 25, tags: new() { ["host"] = ["a"] }, downsample: 86400, fn: DownsampleFunction.Sum);
        var point = Assert.Single(day);
        Assert.Equal((new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), 15m), (point.Timestamp, (decimal)point.Value!));
    }

    public static TheoryData<AggregateFunction, decimal[]> DownsampledAggregates => new()
    {
        { AggregateFunction.Avg, [6m, 12.5m, 7m] },
        { AggregateFunction.Sum, [12m, 25m, 7m] },
        { AggregateFunction.Min, [2m, 5m, 7m] },
        { AggregateFunction.Max, [10m, 20m, 7m] },
        { AggregateFunction.Count, [2m, 2m, 1m] },
    };

    [Theory]
    [MemberData(nameof(DownsampledAggregates))]
    public async Task Metrics_aggregate_merges_downsampled_streams(AggregateFunction fn, decimal[] expected)
    {
        // Windows of 60 s (avg): a gives 2, 5, 7; b gives 10, 20.
        await WriteCpuAsync();
        var points = await QueryAsync("cpu", tags: new() { ["dc"] = ["eu"] }, downsample: 60, aggregate: fn);
        Assert.Equal([(0, expected[0]), (60, expected[1]), (120, expected[2])], Series(points));
        Assert.All(points, p => Assert.Equal("dc=eu;host=a,b", Tagline(p)));
        Assert.IsType<string[]>(points[0].Tags["host"]);
    }

    [Fact]
    public async Task Metrics_aggregated_tags_are_those_of_the_streams_that_gave_a_point_in_range()
    {
        // From 100 s on, only a (7 at 150 s) has a number. b and c have points in the same hour column, but earlier;
        // d has only a non-numeric value in range, which aggregation skips. (KairosDB: the tags of the points in the group.)
        await WriteCpuAsync();
        await WriteAsync(("cpu", "down", "host=d,dc=eu", 120));
        var raw = await QueryAsync("cpu", from: 100, aggregate: AggregateFunction.Sum);
        Assert.Equal([(150, 7m)], Series(raw));
        Assert.Equal("dc=eu;host=a", Tagline(Assert.Single(raw)));
        var downsampled = await QueryAsync("cpu", from: 100, downsample: 60, aggregate: AggregateFunction.Avg);
        Assert.Equal("dc=eu;host=a", Tagline(Assert.Single(downsampled)));
        // Over the whole range every numeric stream gave a point: each aggregated point lists them all, whatever its own window held.
        var all = await QueryAsync("cpu", downsample: 60, aggregate: AggregateFunction.Avg);
        Assert.Equal([0.0, 60, 120], all.Select(p => (p.Timestamp - T0).TotalSeconds));
        Assert.All(all, p => Assert.Equal("dc=eu,us;host=a,b,c", Tagline(p)));
    }

    [Fact]
    public async Task Metrics_dev_is_the_sample_standard_deviation_and_zero_for_one_value()
    {
        await WriteCpuAsync();
        var points = await QueryAsync("cpu", tags: new() { ["dc"] = ["eu"] }, downsample: 60, aggregate: AggregateFunction.Dev);
        // {2, 10}: sqrt(((2-6)^2 + (10-6)^2) / 1) = sqrt(32); {5, 20}: sqrt(112.5); {7}: 0.
        Assert.Equal([0.0, 60, 120], points.Select(p => (p.Timestamp - T0).TotalSeconds));
        Assert.Equal(5.656854249492380, (double)(decimal)points[0].Value!, 12);
        Assert.Equal(10.606601717798213, (double)(decimal)points[1].Value!, 12);
        Assert.Equal(0m, points[2].Value);
    }

    [Fact]
    public async Task Metrics_rate_is_the_per_second_change_between_consecutive_points()
    {
        await WriteCpuAsync();
        // One stream, raw: 1@0, 3@30, 5@60, 7@150.
        var raw = await QueryAsync("cpu", tags: new() { ["host"] = ["a"] }, aggregate: AggregateFunction.Rate);
        Assert.Equal([(30, 2m / 30), (60, 2m / 30), (150, 2m / 90)], Series(raw));
        // Two streams, downsampled: per-window sums 12, 25, 7.
        var merged = await QueryAsync("cpu", tags: new() { ["dc"] = ["eu"] }, downsample: 60, aggregate: AggregateFunction.Rate);
        Assert.Equal([(60, 13m / 60), (120, -18m / 60)], Series(merged));
    }

    [Fact]
    public async Task Metrics_aggregate_without_downsample_merges_points_with_equal_timestamps()
    {
        await WriteAsync(("m", 1, "h=a", 0), ("m", 2, "h=b", 0), ("m", 4, "h=a", 1), ("m", 8, "h=c", 2));
        Assert.Equal([(0, 3m), (1, 4m), (2, 8m)], Series(await QueryAsync("m", aggregate: AggregateFunction.Sum)));
        Assert.Equal([(0, 2m), (1, 1m), (2, 1m)], Series(await QueryAsync("m", aggregate: AggregateFunction.Count)));
    }

    [Fact]
    public async Task Metrics_non_numeric_values_round_trip_raw_and_are_skipped_with_one_warning_otherwise()
    {
        var map = new Hashtable { ["state"] = "up", ["n"] = 3 };
        var inputs = new[]
        {
            new MetricInput("s", "hello", null, T0, null),
            new MetricInput("s", true, null, T0.AddSeconds(1), null),
            new MetricInput("s", map, null, T0.AddSeconds(2), null),
            new MetricInput("s", new object[] { "a", 1 }, null, T0.AddSeconds(3), null),
            new MetricInput("s", 5, null, T0.AddSeconds(4), null),
        };
        await Metrics.WriteAsync(MetricValidation.Validate(inputs, Clock.GetUtcNow()), Op);
        var raw = await QueryAsync("s");
        Assert.Equal("hello", raw[0].Value);
        Assert.Equal(true, raw[1].Value);
        var restored = Assert.IsType<OrderedDictionary>(raw[2].Value);
        Assert.Equal(("up", 3m), (restored["state"], restored["n"]));
        Assert.Equal(new object[] { "a", 1m }, Assert.IsType<object[]>(raw[3].Value));
        Assert.Equal(5m, raw[4].Value);
        Assert.Empty(Log.Warnings);

        var downsampled = await QueryAsync("s", downsample: 60, fn: DownsampleFunction.Count);
        Assert.Equal([(0, 1m)], Series(downsampled));
        Assert.Contains("4 non-numeric", Assert.Single(Log.Warnings));
    }

    [Fact]
    public async Task Metrics_domains_never_mix()
    {
        await WriteInAsync("prod", ("cpu", 1, "host=a", 0));
        await WriteInAsync("test", ("cpu", 2, "host=a", 0), ("mem", 3, "", 0));
        Assert.Equal([1m], (await QueryAsync("cpu", domain: "prod")).Select(p => (decimal)p.Value!));
        Assert.Equal([2m], (await QueryAsync("cpu", domain: "test", aggregate: AggregateFunction.Sum)).Select(p => (decimal)p.Value!));
        Assert.Empty(await QueryAsync("cpu"));
        Assert.Equal(["cpu"], await Metrics.GetNamesAsync("prod", Op).ToListAsync());
        Assert.Equal(["cpu", "mem"], await Metrics.GetNamesAsync("test", Op).ToListAsync());
        Assert.Equal("test", (await QueryAsync("mem", domain: "test"))[0].Domain);
    }

    [Fact]
    public async Task Metrics_names_and_tags_are_listed_sorted()
    {
        await WriteCpuAsync();
        await WriteAsync(("load", 1, "", 0), ("cpu", 1, "host=d,dc=us,rack=r1", 3700));
        Assert.Equal(["cpu", "load"], await Metrics.GetNamesAsync(null, Op).ToListAsync());
        var tags = await Metrics.GetTagsAsync("cpu", null, Op).ToListAsync();
        Assert.Equal(["dc", "host", "rack"], tags.Select(t => t.Key));
        Assert.Equal(["eu", "us"], tags[0].Values);
        Assert.Equal(["a", "b", "c", "d"], tags[1].Values);
        Assert.Equal(["r1"], tags[2].Values);
        Assert.Empty(await Metrics.GetTagsAsync("load", null, Op).ToListAsync());
    }

    [Fact]
    public async Task Metrics_expired_points_are_never_returned()
    {
        // Retention 30 days: a point from 31 days ago has expired when it is written.
        await WriteAsync(("old", 1, "", -31 * 86400), ("old", 2, "", 0));
        Assert.Equal([2m], (await Metrics.QueryAsync(new MetricQuery(["old"], T0.AddDays(-40), T0.AddHours(1)), Op).ToListAsync())
            .Select(p => (decimal)p.Value!));
        // expires = the point's time + 30 days; expired when now >= expires.
        Clock.Set(T0.AddDays(30).AddSeconds(-1));
        Assert.Equal([2m], (await QueryAsync("old")).Select(p => (decimal)p.Value!));
        Clock.Set(T0.AddDays(30));
        Assert.Empty(await QueryAsync("old"));
        Assert.Empty(await QueryAsync("old", aggregate: AggregateFunction.Count));
        // The index entry lives until its hour column's end plus the retention.
        Assert.Equal(["old"], await Metrics.GetNamesAsync(null, Op).ToListAsync());
        Clock.Set(T0.AddDays(30).AddHours(1));
        Assert.Empty(await Metrics.GetNamesAsync(null, Op).ToListAsync());
    }

    [Fact]
    public async Task Metrics_a_second_write_to_the_same_column_overwrites_the_point_and_writes_no_index_entry()
    {
        await WriteAsync(("m", 1, "h=a", 0));
        Assert.Equal(1, Metrics.IndexCache.Count);
        await WriteAsync(("m", 2, "h=a", 0), ("m", 3, "h=a", 10));
        Assert.Equal(1, Metrics.IndexCache.Count);
        Assert.Equal([2m, 3m], (await QueryAsync("m")).Select(p => (decimal)p.Value!));
        Assert.Contains(Log.Verbose, v => v.Contains("2 datapoints and 0 index entries"));
    }
}

public sealed class SqliteMetricStoreContractTests : MetricStoreContractTests<SqliteBackend>;

public sealed class DynamoMetricStoreContractTests : MetricStoreContractTests<DynamoBackend>;
