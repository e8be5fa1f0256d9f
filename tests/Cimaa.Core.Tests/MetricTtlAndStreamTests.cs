using Cimaa.Metrics;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>
/// MetricService.WritePointsAsync with a per-point ttl (KairosDB's), and GetStreamsAsync (the streams of a metric, read
/// lazily), on both stores, with the retention set to one day.
/// </summary>
public class MetricTtlAndStreamTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Stores => new() { "sqlite", "dynamo" };

    private static async Task<(CimaaClient Store, ManualClock Clock, TempDir Dir)> Open(string kind)
    {
        var clock = new ManualClock(T0);
        var dir = new TempDir();
        var settings = (kind == "sqlite" ? TestStores.Sqlite(dir, clock) : TestStores.Dynamo(clock)) with { MetricRetention = TimeSpan.FromDays(1) };
        return (await TestStores.OpenInitialized(settings), clock, dir);
    }

    private static ValidMetric Point(string host, DateTimeOffset at, decimal value) =>
        MetricValidation.Validate(new MetricInput("m", value, [new KeyValuePair<object?, object?>("host", host)], at, null), T0);

    private static async Task<List<(string Host, long Time, string? Number)>> ReadAll(MetricService service, DateTimeOffset now)
    {
        var list = new List<(string, long, string?)>();
        foreach (var (tags, points) in await service.GetStreamsAsync(null, "m", 0, now.ToUnixTimeMilliseconds(), null, OpContext.None))
        {
            await foreach (var (time, number, _) in points) list.Add((tags["host"], time, number));
        }
        return list;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_ttl_shorter_than_the_retention_expires_its_points_first(string kind)
    {
        var (store, clock, dir) = await Open(kind);
        await using (store)
        using (dir)
        {
            var service = (MetricService)store.Metrics;
            await service.WritePointsAsync([Point("a", T0, 1), Point("b", T0, 2)], [60, null], OpContext.None);
            Assert.Equal(2, (await ReadAll(service, clock.GetUtcNow())).Count);
            clock.Advance(TimeSpan.FromMinutes(2));
            Assert.Equal([("b", T0.ToUnixTimeMilliseconds(), "2")], await ReadAll(service, clock.GetUtcNow()));
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_ttl_longer_than_the_retention_keeps_its_points_and_their_index_even_when_the_column_was_indexed_before(string kind)
    {
        var (store, clock, dir) = await Open(kind);
        await using (store)
        using (dir)
        {
            var service = (MetricService)store.Metrics;
            // The column is indexed first with the retention (1 day), then gets a point kept for 10 days.
            await service.WritePointsAsync([Point("a", T0, 1)], null, OpContext.None);
            await service.WritePointsAsync([Point("a", T0.AddSeconds(1), 2)], [(long)TimeSpan.FromDays(10).TotalSeconds], OpContext.None);
            clock.Advance(TimeSpan.FromDays(3));
            Assert.Equal([("a", T0.AddSeconds(1).ToUnixTimeMilliseconds(), "2")], await ReadAll(service, clock.GetUtcNow()));
            clock.Advance(TimeSpan.FromDays(8));
            Assert.Empty(await ReadAll(service, clock.GetUtcNow()));
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Streams_are_sorted_by_tags_filtered_and_read_in_time_order_only_when_enumerated(string kind)
    {
        var (store, clock, dir) = await Open(kind);
        await using (store)
        using (dir)
        {
            var service = (MetricService)store.Metrics;
            await service.WritePointsAsync([Point("b", T0.AddHours(2), 4), Point("a", T0.AddHours(1), 2), Point("a", T0, 1), Point("b", T0, 3)],
                null, OpContext.None);
            clock.Advance(TimeSpan.FromHours(3));
            store.Requests.Reset();
            var streams = await service.GetStreamsAsync("default", "m", T0.ToUnixTimeMilliseconds(), T0.AddHours(2).ToUnixTimeMilliseconds(),
                new Dictionary<string, string[]> { ["host"] = ["a", "b"] }, OpContext.None);
            var indexReads = store.Requests.Snapshot().Values.Sum();
            Assert.Equal(["a", "b"], streams.Select(s => s.Tags["host"]));
            var b = new List<(long, string?)>();
            await foreach (var (time, number, _) in streams[1].Points) b.Add((time, number));
            Assert.Equal([(T0.ToUnixTimeMilliseconds(), "3"), (T0.AddHours(2).ToUnixTimeMilliseconds(), "4")], b);
            Assert.True(store.Requests.Snapshot().Values.Sum() > indexReads);
            var onlyA = await service.GetStreamsAsync(null, "m", 0, clock.GetUtcNow().ToUnixTimeMilliseconds(),
                new Dictionary<string, string[]> { ["host"] = ["a"] }, OpContext.None);
            Assert.Equal("a", Assert.Single(onlyA).Tags["host"]);
            Assert.Empty(await service.GetStreamsAsync(null, "m", 10, 5, null, OpContext.None));
        }
    }
}
