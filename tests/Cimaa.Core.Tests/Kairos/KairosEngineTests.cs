using Cimaa.Kairos;
using Cimaa.Metrics;

namespace Cimaa.Core.Tests.Kairos;

public class KairosEngineTests
{
    // Three streams: A {dc=east,host=web1}, B {dc=east,host=web2}, C {dc=west,host=web1}.
    private static readonly Dictionary<string, string> TagsA = new() { ["dc"] = "east", ["host"] = "web1" };
    private static readonly Dictionary<string, string> TagsB = new() { ["dc"] = "east", ["host"] = "web2" };
    private static readonly Dictionary<string, string> TagsC = new() { ["dc"] = "west", ["host"] = "web1" };

    private sealed record Stream(string Id, IReadOnlyDictionary<string, string> Tags, KairosValue[] Values);

    private static readonly Stream A = new("A", TagsA, [new(1000, 1), new(2000, 2)]);
    private static readonly Stream B = new("B", TagsB, [new(1000, 10), new(3000, 30)]);
    private static readonly Stream C = new("C", TagsC, [new(1500, 100)]);

    private static KairosMetricQuery Metric(IReadOnlyList<KairosAggregator>? aggregators = null, int? limit = null, bool desc = false,
        KairosDownsample? downsample = null, AggregateFunction? aggregate = null) =>
        new("m", null, [], aggregators ?? [], limit, desc, downsample, aggregate);

    private static async Task<(long, decimal, string?)[]> Run(KairosMetricQuery metric, KairosStats? stats = null, params Stream[] streams)
    {
        var list = new List<(long, decimal, string?)>();
        await foreach (var v in KairosEngine.RunAsync(streams.Select(s => Async(s.Values)).ToList(), metric, 0, stats ?? new KairosStats()))
            list.Add((v.Time, v.Number, v.Json));
        return list.ToArray();
    }

    private static async IAsyncEnumerable<KairosValue> Async(IEnumerable<KairosValue> values)
    {
        foreach (var v in values)
        {
            await Task.Yield();
            yield return v;
        }
    }

    [Fact]
    public void Without_group_by_all_streams_are_one_group_with_every_tag_value()
    {
        var group = Assert.Single(KairosGrouping.Group([A, B, C], s => s.Tags, []));
        Assert.Null(group.Group);
        Assert.Equal(["A", "B", "C"], group.Streams.Select(s => s.Id));
        Assert.Equal(["dc", "host"], group.Tags.Keys);
        Assert.Equal(["east", "west"], group.Tags["dc"]);
        Assert.Equal(["web1", "web2"], group.Tags["host"]);
    }

    [Fact]
    public void Group_by_a_tag_gives_one_group_per_value_set_sorted()
    {
        var groups = KairosGrouping.Group([B, C, A], s => s.Tags, ["host"]);
        Assert.Equal(2, groups.Count);
        Assert.Equal("web1", groups[0].Group!["host"]);
        Assert.Equal(["C", "A"], groups[0].Streams.Select(s => s.Id));
        Assert.Equal(["east", "west"], groups[0].Tags["dc"]);
        Assert.Equal(["web1"], groups[0].Tags["host"]);
        Assert.Equal("web2", groups[1].Group!["host"]);
        Assert.Equal(["B"], groups[1].Streams.Select(s => s.Id));

        var byBoth = KairosGrouping.Group([A, B, C], s => s.Tags, ["host", "dc"]);
        Assert.Equal(["web1/east", "web1/west", "web2/east"], byBoth.Select(g => g.Group!["host"] + "/" + g.Group["dc"]));
    }

    [Fact]
    public void A_missing_group_by_tag_groups_as_empty()
    {
        var group = Assert.Single(KairosGrouping.Group([A, B], s => s.Tags, ["rack"]));
        Assert.Equal("", group.Group!["rack"]);
        Assert.Empty(KairosGrouping.Group(Array.Empty<Stream>(), s => s.Tags, []));
    }

    [Fact]
    public async Task Raw_points_merge_in_time_order_and_sample_size_counts_them()
    {
        var stats = new KairosStats();
        Assert.Equal([(1000, 1m, null), (1000, 10m, null), (1500, 100m, null), (2000, 2m, null), (3000, 30m, null)], await Run(Metric(), stats, A, B, C));
        Assert.Equal(5, stats.SampleSize);
    }

    [Fact]
    public async Task Limit_keeps_the_first_points_ascending_and_the_last_descending()
    {
        Assert.Equal([(1000, 1m, null), (1000, 10m, null)], await Run(Metric(limit: 2), null, A, B, C));
        Assert.Equal([(3000, 30m, null), (2000, 2m, null)], await Run(Metric(limit: 2, desc: true), null, A, B, C));
        Assert.Equal([(3000, 30m, null), (2000, 2m, null), (1500, 100m, null), (1000, 10m, null), (1000, 1m, null)],
            await Run(Metric(desc: true), null, A, B, C));
    }

    // Limit before the aggregators: the first 3 points (1000:1, 1000:10, 1500:100) summed in one 10 s window = 111.
    [Fact]
    public async Task Limit_applies_before_the_aggregators()
    {
        Assert.Equal([(0, 111m, null)], await Run(Metric([new KairosAggregator(KairosAggregatorName.Sum, 10_000, AlignStartTime: true)], limit: 3),
            null, A, B, C));
    }

    // Windows of 1 s from the start (0): [1000,2000) = {1, 10, 100} avg 37 at 1000; [2000,3000) = {2}; [3000,4000) = {30}; desc reverses.
    [Fact]
    public async Task Aggregators_run_over_the_merged_group_and_order_reverses_the_output()
    {
        var avg = new KairosAggregator(KairosAggregatorName.Avg, 1000);
        Assert.Equal([(1000, 37m, null), (2000, 2m, null), (3000, 30m, null)], await Run(Metric([avg]), null, A, B, C));
        Assert.Equal([(3000, 30m, null), (2000, 2m, null), (1000, 37m, null)], await Run(Metric([avg], desc: true), null, A, B, C));
    }

    // Amondawa: downsample avg over 2 s per stream: A -> 0:1, 2000:2; B -> 0:10, 2000:30; C -> 0:100; aggregate sum -> 0:111, 2000:32.
    [Fact]
    public async Task Amondawa_downsample_then_aggregate()
    {
        var ds = new KairosDownsample(DownsampleFunction.Avg, 2000);
        Assert.Equal([(0, 111m, null), (2000, 32m, null)], await Run(Metric(downsample: ds, aggregate: AggregateFunction.Sum), null, A, B, C));
        // Downsample alone keeps every stream's points, merged: 0:1, 0:10, 0:100, 2000:2, 2000:30.
        Assert.Equal([(0, 1m, null), (0, 10m, null), (0, 100m, null), (2000, 2m, null), (2000, 30m, null)],
            await Run(Metric(downsample: ds), null, A, B, C));
    }

    // Aggregate alone merges raw points that share a millisecond: 1000: 1+10, 1500: 100, 2000: 2, 3000: 30.
    [Fact]
    public async Task Amondawa_aggregate_merges_by_timestamp()
    {
        Assert.Equal([(1000, 11m, null), (1500, 100m, null), (2000, 2m, null), (3000, 30m, null)],
            await Run(Metric(aggregate: AggregateFunction.Sum), null, A, B, C));
    }

    [Fact]
    public async Task Non_numeric_values_are_returned_raw_and_skipped_by_any_reduction()
    {
        var mixed = new Stream("D", TagsA, [new(1000, 1), new(1500, 0, "\"down\""), new(2000, 5)]);
        Assert.Equal([(1000, 1m, null), (1500, 0m, "\"down\""), (2000, 5m, null)], await Run(Metric(), null, mixed));
        var stats = new KairosStats();
        Assert.Equal([(0, 6m, null)], await Run(Metric([new KairosAggregator(KairosAggregatorName.Sum, 10_000, AlignStartTime: true)]), stats, mixed));
        Assert.Equal((3L, 1L), (stats.SampleSize, stats.SkippedNonNumeric));
    }

    [Fact]
    public async Task A_stream_out_of_time_order_is_an_error()
    {
        var bad = new Stream("X", TagsA, [new(2000, 1), new(1000, 2)]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Run(Metric(), null, bad, B));
    }
}
