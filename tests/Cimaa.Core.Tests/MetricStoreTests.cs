using Cimaa.Metrics;
using Cimaa.Storage;
using Cimaa.Testing;
using Microsoft.Data.Sqlite;

namespace Cimaa.Core.Tests;

/// <summary>Store-specific metric behaviour: SQLite ages rows as it writes; DynamoDB request counts, batches and parallel reads.</summary>
public class MetricStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static List<ValidMetric> Points(int count, int streams = 1, string name = "m", double stepSeconds = 1) =>
        MetricValidation.Validate(Enumerable.Range(0, count).Select(i => new MetricInput(name, i,
            [new KeyValuePair<object?, object?>("host", $"h{i % streams}")], T0.AddSeconds(i * stepSeconds), null)), T0);

    [Fact]
    public async Task Sqlite_deletes_expired_rows_as_it_writes()
    {
        using var dir = new TempDir();
        var clock = new ManualClock(T0);
        var settings = TestStores.Sqlite(dir, clock);
        await using var store = await TestStores.OpenInitialized(settings);
        var service = store.Metrics;
        await service.WriteAsync(Points(10), OpContext.None);
        Assert.Equal((10L, 1L), (Count(settings.Path!, "datapoints"), Count(settings.Path!, "datapoints_index")));
        clock.Advance(TimeSpan.FromDays(31));
        await service.WriteAsync(MetricValidation.Validate([new MetricInput("other", 1, null, clock.GetUtcNow(), null)], clock.GetUtcNow()), OpContext.None);
        Assert.Equal((1L, 1L), (Count(settings.Path!, "datapoints"), Count(settings.Path!, "datapoints_index")));
    }

    private static long Count(string path, string table)
    {
        using var conn = new SqliteConnection($"Data Source={path};Pooling=false");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }

    [Theory]
    [InlineData(25, 1)]
    [InlineData(26, 2)]
    [InlineData(60, 3)]
    public async Task Dynamo_writes_points_in_batches_of_25_and_each_index_entry_once_per_process(int points, int batches)
    {
        await using var store = await TestStores.OpenInitialized(TestStores.Dynamo(new ManualClock(T0)));
        var service = store.Metrics;
        await service.WriteAsync(Points(points), OpContext.None);
        Assert.Equal(new Dictionary<string, long> { ["BatchWriteItem"] = batches + 1 }, store.Requests.Snapshot());
        store.Requests.Reset();
        await service.WriteAsync(Points(points), OpContext.None);
        Assert.Equal(new Dictionary<string, long> { ["BatchWriteItem"] = batches }, store.Requests.Snapshot());
        // Another client (another process) writes the index again.
        await using var other = StoreFactory.Open(store.Settings);
        await other.Metrics.WriteAsync(Points(points), OpContext.None);
        Assert.Equal(batches + 1, other.Requests["BatchWriteItem"]);
    }

    [Fact]
    public async Task Dynamo_query_reads_the_index_range_once_then_one_Query_per_matching_column()
    {
        await using var store = await TestStores.OpenInitialized(TestStores.Dynamo(new ManualClock(T0.AddDays(1))));
        var service = store.Metrics;
        // 3 streams, one point a minute for 3 hours: 3 columns each.
        await service.WriteAsync(Points(540, streams: 3, stepSeconds: 20), OpContext.None);
        store.Requests.Reset();
        var log = new RecordingLog();
        var query = new MetricQuery(["m"], T0, T0.AddHours(3), Tags: new Dictionary<string, string[]> { ["host"] = ["h0", "h1"] },
            Downsample: TimeSpan.FromMinutes(1), Aggregate: AggregateFunction.Count);
        var points = await service.QueryAsync(query, log.Context).ToListAsync();
        Assert.Equal(180, points.Count);
        Assert.All(points, p => Assert.Equal(2m, p.Value));
        Assert.Equal(new Dictionary<string, long> { ["Query"] = 1 + 2 * 3 }, store.Requests.Snapshot());
        Assert.Contains(log.Verbose, v => v.Contains("2 streams, 6 hour columns"));
    }
}
