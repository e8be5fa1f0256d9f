using Cimaa.Kairos;
using Cimaa.Metrics;
using N = Cimaa.Kairos.KairosAggregatorName;

namespace Cimaa.Core.Tests.Kairos;

/// <summary>Every expected value below is worked out by hand from the points in the comment above it.</summary>
public class KairosAggregationTests
{
    // Query start 1000, windows of 1 s from the start: [1000,2000) holds 1 and 3; [2000,3000) holds 4 and 8; [4000,5000) holds 10.
    private static readonly Sample[] Points = [new(1000, 1), new(1500, 3), new(2200, 4), new(2900, 8), new(4100, 10)];

    private static (long, decimal)[] Run(IEnumerable<Sample> points, long start, params KairosAggregator[] aggregators) =>
        KairosAggregation.Apply(points, aggregators, start).Select(s => (s.Time, s.Value)).ToArray();

    private static (long, decimal)[] One(N name, bool align = false, bool startTime = false, bool endTime = false) =>
        Run(Points, 1000, new KairosAggregator(name, 1000, align, startTime, endTime));

    [Fact]
    public void Avg() => Assert.Equal([(1000, 2m), (2200, 6m), (4100, 10m)], One(N.Avg));

    [Fact]
    public void Sum() => Assert.Equal([(1000, 4m), (2200, 12m), (4100, 10m)], One(N.Sum));

    [Fact]
    public void Min() => Assert.Equal([(1000, 1m), (2200, 4m), (4100, 10m)], One(N.Min));

    [Fact]
    public void Max() => Assert.Equal([(1000, 3m), (2200, 8m), (4100, 10m)], One(N.Max));

    [Fact]
    public void Count() => Assert.Equal([(1000, 2m), (2200, 2m), (4100, 1m)], One(N.Count));

    // Sample standard deviation: {1,3} mean 2, (1+1)/1 = 2, sqrt 2; {4,8} mean 6, (4+4)/1 = 8, sqrt 8; one point gives 0.
    // sqrt is taken in double and converted to decimal (15 significant digits), as Get-CimaaMetric -Aggregate dev does.
    [Fact]
    public void Dev() => Assert.Equal([(1000, 1.41421356237310m), (2200, 2.82842712474619m), (4100, 0m)], One(N.Dev));

    [Fact]
    public void First_is_stamped_at_its_point() => Assert.Equal([(1000, 1m), (2200, 4m), (4100, 10m)], One(N.First));

    [Fact]
    public void Last_is_stamped_at_its_point() => Assert.Equal([(1500, 3m), (2900, 8m), (4100, 10m)], One(N.Last));

    // rate per second: (3-1)/0.5 s = 4 at 1500; (4-3)/0.7 s = 10/7 at 2200; (8-4)/0.7 s = 40/7 at 2900; (10-8)/1.2 s = 5/3 at 4100.
    [Fact]
    public void Rate_is_per_second_between_consecutive_points() =>
        Assert.Equal([(1500, 4m), (2200, 1.4285714285714285714285714286m), (2900, 5.7142857142857142857142857143m), (4100, 1.6666666666666666666666666667m)],
            Run(Points, 1000, new KairosAggregator(N.Rate, 1000)));

    // The same per minute: 60 times the per-second rate.
    [Fact]
    public void Rate_takes_its_unit() =>
        Assert.Equal([(1500, 240m), (2200, 85.714285714285714285714285714m), (2900, 342.85714285714285714285714286m), (4100, 100m)],
            Run(Points, 1000, new KairosAggregator(N.Rate, 60_000)));

    // Two values at 1000 are summed (1 + 2 = 3) before the rate: (9-3)/1 s = 6 at 2000.
    [Fact]
    public void Rate_sums_the_values_of_one_timestamp() =>
        Assert.Equal([(2000, 6m)], Run([new(1000, 1), new(1000, 2), new(2000, 9)], 0, new KairosAggregator(N.Rate, 1000)));

    [Fact]
    public void Rate_of_one_point_is_nothing() => Assert.Empty(Run([new(1000, 1)], 0, new KairosAggregator(N.Rate, 1000)));

    // Query start 1300: from the start the windows are [1300,2300) = {3,4}, [2300,3300) = {8}, [3300,4300) = {10};
    // aligned to the epoch they are [1000,2000) = {3}, [2000,3000) = {4,8}, [4000,5000) = {10}.
    private static readonly Sample[] Late = [new(1500, 3), new(2200, 4), new(2900, 8), new(4100, 10)];

    [Fact]
    public void Without_align_sampling_windows_start_at_the_query_start()
    {
        Assert.Equal([(1500, 7m), (2900, 8m), (4100, 10m)], Run(Late, 1300, new KairosAggregator(N.Sum, 1000)));
        Assert.Equal([(1300, 7m), (2300, 8m), (3300, 10m)], Run(Late, 1300, new KairosAggregator(N.Sum, 1000, AlignStartTime: true)));
        Assert.Equal([(2300, 7m), (3300, 8m), (4300, 10m)], Run(Late, 1300, new KairosAggregator(N.Sum, 1000, AlignEndTime: true)));
    }

    [Fact]
    public void With_align_sampling_windows_are_multiples_of_the_sampling()
    {
        Assert.Equal([(1500, 3m), (2200, 12m), (4100, 10m)], Run(Late, 1300, new KairosAggregator(N.Sum, 1000, AlignSampling: true)));
        Assert.Equal([(1000, 3m), (2000, 12m), (4000, 10m)], Run(Late, 1300, new KairosAggregator(N.Sum, 1000, true, AlignStartTime: true)));
        Assert.Equal([(2000, 3m), (3000, 12m), (5000, 10m)], Run(Late, 1300, new KairosAggregator(N.Sum, 1000, true, AlignEndTime: true)));
    }

    // Sum per aligned second: (1000,3) (2000,12) (4000,10); then avg per aligned 3 s: [0,3000) = {3,12} -> 7.5 at 0, [3000,6000) = {10}.
    [Fact]
    public void Aggregators_apply_in_order() =>
        Assert.Equal([(0, 7.5m), (3000, 10m)], Run(Late, 1300,
            new KairosAggregator(N.Sum, 1000, true, AlignStartTime: true), new KairosAggregator(N.Avg, 3000, true, AlignStartTime: true)));

    // Sum per second aligned, then the rate of those sums per second: (12-3)/1 s = 9 at 2000, (10-12)/2 s = -1 at 4000.
    [Fact]
    public void Rate_after_a_range_aggregator() =>
        Assert.Equal([(2000, 9m), (4000, -1m)], Run(Late, 1300,
            new KairosAggregator(N.Sum, 1000, true, AlignStartTime: true), new KairosAggregator(N.Rate, 1000)));

    // A window from a negative offset: start 2500 and a point at 1000 (before the start) falls in [500,1500).
    [Fact]
    public void Points_before_the_origin_fall_in_earlier_windows() =>
        Assert.Equal([(500, 1m), (2500, 2m)], Run([new(1000, 1), new(2600, 2)], 2500, new KairosAggregator(N.Sum, 1000, AlignStartTime: true)));

    [Fact]
    public void No_points_give_nothing() => Assert.Empty(Run([], 0, new KairosAggregator(N.Avg, 1000)));
}
