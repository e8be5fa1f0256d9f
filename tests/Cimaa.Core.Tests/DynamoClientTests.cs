using Amazon.DynamoDBv2.Model;
using Cimaa.Faults;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>DynamoDB-only behaviour: request counts, the retry layer, UnprocessedItems, and items written by Python agents.</summary>
public class DynamoClientTests
{
    private static async Task<(CimaaClient Store, FaultInjectingHandler Handler)> OpenAsync(int reads = 5, int writes = 3, ManualClock? clock = null)
    {
        var factory = new FaultInjectingFactory();
        var store = await TestStores.OpenInitialized(TestStores.Dynamo(clock, factory, reads, writes));
        return (store, factory.Handler);
    }

    private static IReadOnlyDictionary<string, List<ValidFault>> Faults(string agent, int count) =>
        FaultValidation.Validate([agent], Enumerable.Range(0, count).Select(i => new FaultInput(agent, $"f{i:D3}", 40, "m", false)), null);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 1)]
    [InlineData(24, 1)]
    [InlineData(25, 2)]
    [InlineData(26, 2)]
    [InlineData(60, 3)]
    public async Task Set_is_one_Query_then_ceil_writes_plus_the_heartbeat_over_25_BatchWriteItem(int faults, int batches)
    {
        var (store, _) = await OpenAsync();
        await using var _s = store;
        await store.Faults.SetAsync(Faults("a", faults), null, OpContext.None);
        Assert.Equal(new Dictionary<string, long> { ["BatchWriteItem"] = batches, ["Query"] = 1 }, store.Requests.Snapshot());
    }

    [Fact]
    public async Task Get_of_one_agent_is_one_Query_plus_the_squelch_Scan_and_stale_agents_are_one_Query_of_the_LSI()
    {
        var (store, _) = await OpenAsync();
        await using var _s = store;
        await store.Faults.SetAsync(Faults("a", 3), null, OpContext.None);
        store.Requests.Reset();
        var log = new RecordingLog();
        Assert.Equal(3, (await store.Faults.GetAsync(new FaultQuery(["a"]), log.Context).ToListAsync()).Count);
        Assert.Equal(new Dictionary<string, long> { ["Query"] = 1, ["Scan"] = 1 }, store.Requests.Snapshot());
        store.Requests.Reset();
        await store.Agents.GetStaleAsync(TimeSpan.Zero - TimeSpan.FromSeconds(5), log.Context).ToListAsync();
        Assert.Equal(new Dictionary<string, long> { ["Query"] = 1 }, store.Requests.Snapshot());
        Assert.Contains(log.Verbose, v => v.Contains("index 'updated'"));
    }

    [Fact]
    public async Task Two_throttled_responses_then_success_give_the_data_and_two_warnings()
    {
        var (store, handler) = await OpenAsync();
        await using var _s = store;
        await store.Faults.SetAsync(Faults("a", 3), null, OpContext.None);
        handler.ThrottleNext(2);
        var log = new RecordingLog();
        var faults = await store.Faults.GetAsync(new FaultQuery(["a"]), log.Context).ToListAsync();
        Assert.Equal(3, faults.Count);
        Assert.Equal(2, log.Warnings.Count);
        Assert.All(log.Warnings, w => Assert.Matches(@"^exceeded provisioned throughput; waiting [0-9.]+ seconds$", w));
    }

    [Theory]
    [InlineData(true, 5)]
    [InlineData(false, 3)]
    public async Task Throttling_on_every_attempt_is_ThroughputExceeded_after_exactly_MaxAttempts(bool read, int attempts)
    {
        var (store, handler) = await OpenAsync();
        await using var _s = store;
        handler.ThrottleAll = true;
        handler.Operations = [read ? "Query" : "PutItem"]; // PutItem: the heartbeat an import writes alone
        var log = new RecordingLog();
        var e = await Assert.ThrowsAsync<CimaaException>(async () =>
        {
            if (read) await store.Faults.GetAsync(new FaultQuery(["a"]), log.Context).ToListAsync();
            else await store.Stores.Faults.PutHeartbeatAsync("a", 1, log.Context);
        });
        Assert.Equal(ErrorIds.ThroughputExceeded, e.ErrorId);
        Assert.Equal(CimaaErrorCategory.LimitsExceeded, e.Category);
        Assert.Equal($"error {(read ? "reading" : "writing")} dynamodb in {attempts} tries", e.Message);
        Assert.Equal(attempts, handler.Throttled);
        Assert.Equal(attempts - 1, log.Warnings.Count);
    }

    [Fact]
    public async Task Attempts_follow_the_connection_settings()
    {
        var (store, handler) = await OpenAsync(reads: 2, writes: 1);
        await using var _s = store;
        handler.ThrottleAll = true;
        var e = await Assert.ThrowsAsync<CimaaException>(() => store.Stores.Faults.PutHeartbeatAsync("a", 1, OpContext.None));
        Assert.Equal("error writing dynamodb in 1 tries", e.Message);
        Assert.Equal(1, handler.Throttled);
    }

    [Fact]
    public async Task Partial_UnprocessedItems_are_re_sent_and_nothing_is_lost()
    {
        var (store, handler) = await OpenAsync(writes: 10);
        await using var _s = store;
        handler.PartialBatchRate = 1.0;
        var log = new RecordingLog();
        await store.Faults.SetAsync(Faults("a", 60), null, log.Context);
        handler.PartialBatchRate = 0;
        Assert.True(handler.PartialBatches >= 3);
        Assert.Equal(60, (await store.Faults.GetAsync(new FaultQuery(["a"]), OpContext.None).ToListAsync()).Count);
        Assert.NotEmpty(log.Warnings);
    }

    [Fact]
    public async Task Items_written_by_Python_agents_with_extra_attributes_read_correctly()
    {
        var (store, _) = await OpenAsync();
        await using var _s = store;
        var table = store.Settings.FaultsTable;
        await TestStores.Sdk(store).PutItemAsync(table, new Dictionary<string, AttributeValue>
        {
            ["agent"] = new() { S = "py1" }, ["name"] = new() { S = "disk" }, ["severity"] = new() { N = "50" },
            ["since"] = new() { N = "1418160088" }, ["updated"] = new() { N = "1418160188" }, ["triggered"] = new() { S = "y" },
            ["escalates"] = new() { BOOL = true }, ["runbook"] = new() { S = "http://wiki/disk" },
        });
        await TestStores.Sdk(store).PutItemAsync(table, new Dictionary<string, AttributeValue>
        {
            ["agent"] = new() { S = "py1" }, ["name"] = new() { S = "load" }, ["severity"] = new() { N = "30" }, ["since"] = new() { N = "1418160000" },
        });
        await TestStores.Sdk(store).PutItemAsync(table, new Dictionary<string, AttributeValue>
        {
            ["agent"] = new() { S = "_" }, ["name"] = new() { S = "py1" }, ["updated"] = new() { N = "1418160188" },
        });
        var faults = await store.Faults.GetAsync(new FaultQuery(), OpContext.None).ToListAsync();
        Assert.Equal(["disk", "load"], faults.Select(f => f.Name));
        Assert.Equal((50, true, "", DateTimeOffset.FromUnixTimeSeconds(1418160088)), (faults[0].Severity, faults[0].Triggered, faults[0].Message, faults[0].Since));
        Assert.Equal(("", false, (DateTimeOffset?)null), (faults[1].Message, faults[1].Triggered, faults[1].Updated));
        var agent = Assert.Single(await store.Agents.GetAsync(null, OpContext.None).ToListAsync());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1418160188), agent.LastSeen);
    }

    [Fact]
    public async Task Our_items_use_the_zc_cimaa_attribute_types()
    {
        var (store, _) = await OpenAsync();
        await using var _s = store;
        var input = FaultValidation.Validate(["a"], [new FaultInput("a", "disk", 40, "", true)], null);
        await store.Faults.SetAsync(input, null, OpContext.None);
        var item = (await TestStores.Sdk(store).GetItemAsync(store.Settings.FaultsTable, new() { ["agent"] = new() { S = "a" }, ["name"] = new() { S = "disk" } })).Item;
        Assert.Equal("40", item["severity"].N);
        Assert.Equal("", item["message"].S);
        Assert.Equal("y", item["triggered"].S);
        Assert.NotNull(item["since"].N);
        var heartbeat = (await TestStores.Sdk(store).GetItemAsync(store.Settings.FaultsTable, new() { ["agent"] = new() { S = "_" }, ["name"] = new() { S = "a" } })).Item;
        Assert.NotNull(heartbeat["updated"].N);
    }

    [Fact]
    public async Task Thousand_agents_under_30_percent_throttling_and_partial_batches_all_read_back()
    {
        var (store, handler) = await OpenAsync(reads: 12, writes: 12);
        await using var _s = store;
        handler.ThrottleRate = 0.3;
        handler.PartialBatchRate = 0.3;
        var agents = Enumerable.Range(0, 1000).Select(i => $"node{i:D4}").ToList();
        var input = FaultValidation.Validate(agents, agents.SelectMany(a => Enumerable.Range(0, 5).Select(j => new FaultInput(a, $"check{j}", 30 + j % 3 * 10, $"{a} {j}", false))), null);
        var log = new RecordingLog();
        await store.Faults.SetAsync(input, null, log.Context);
        Assert.True(handler.Throttled > 300, $"only {handler.Throttled} throttled");
        handler.ThrottleRate = 0;
        handler.PartialBatchRate = 0;
        var all = await store.Faults.GetAsync(new FaultQuery(), OpContext.None).ToListAsync();
        Assert.Equal(5000, all.Count);
        Assert.Equal(agents, all.Select(f => f.Agent).Distinct());
        Assert.All(all, f => Assert.Equal($"{f.Agent} {f.Name[^1]}", f.Message));
        Assert.Equal(1000, (await store.Agents.GetAsync(null, OpContext.None).ToListAsync()).Count);
    }

    [Fact]
    public async Task Squelches_written_by_the_Python_tool_read_correctly()
    {
        var (store, _) = await OpenAsync();
        await using var _s = store;
        await TestStores.Sdk(store).PutItemAsync(store.Settings.SquelchesTable, new Dictionary<string, AttributeValue>
        {
            ["regex"] = new() { S = "^web" }, ["reason"] = new() { S = "upgrade" }, ["user"] = new() { S = "jim" }, ["time"] = new() { N = "1418160088.5" },
        });
        await TestStores.Sdk(store).PutItemAsync(store.Settings.SquelchesTable, new Dictionary<string, AttributeValue>
        {
            ["regex"] = new() { S = "db" }, ["reason"] = new() { S = "known" }, ["user"] = new() { S = "amy" }, ["time"] = new() { N = "1418160000" },
            ["permanent"] = new() { S = "p" },
        });
        var all = await store.Squelches.GetAllAsync(OpContext.None);
        Assert.Equal(["^web|upgrade|jim|False|", "db|known|amy|True|"], all.Select(x => $"{x.Pattern}|{x.Reason}|{x.User}|{x.Permanent}|{x.Expires}"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1418160088), all[0].Time);
        Assert.False(all[0].IsExpired);
    }

    [Fact]
    public async Task A_Scan_reads_pages_of_1000_items_and_every_fault_across_them()
    {
        var (store, _) = await OpenAsync();
        await using var _s = store;
        foreach (var agent in new[] { "a", "b", "c" }) await store.Faults.SetAsync(Faults(agent, 400), null, OpContext.None);
        store.Requests.Reset();
        // 1,200 faults and 3 heartbeat rows: two pages (the heartbeat rows count towards a page, then are filtered out).
        var faults = await store.Stores.Faults.ScanFaultsAsync(OpContext.None).ToListAsync();
        Assert.Equal(1200, faults.Select(f => (f.Agent, f.Name)).Distinct().Count());
        Assert.Equal(new Dictionary<string, long> { ["Scan"] = 2 }, store.Requests.Snapshot());
    }

    [Fact]
    public async Task A_batch_write_reads_each_record_only_when_its_batch_of_25_is_sent()
    {
        var (store, _) = await OpenAsync();
        await using var _s = store;
        var faults = Enumerable.Range(0, 60).Select(i => new FaultRecord("a", $"f{i:D3}", 40, "m", 1, 1, false)).ToList();
        var reads = new List<(int Index, long SentBefore)>();
        var watched = new WatchedList<FaultRecord>(faults, i => reads.Add((i, store.Requests["BatchWriteItem"])));
        await store.Stores.Faults.WriteFaultsAsync("a", watched, [], null, OpContext.None);
        Assert.Equal(3, store.Requests["BatchWriteItem"]);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (i, (long)(i / 25))), reads);
        Assert.Equal(60, (await store.Stores.Faults.GetAgentFaultsAsync("a", OpContext.None).ToListAsync()).Count);
    }

    /// <summary>A list that reports each element read, by index or by enumeration.</summary>
    private sealed class WatchedList<T>(List<T> items, Action<int> read) : IReadOnlyList<T>
    {
        public T this[int index]
        {
            get
            {
                read(index);
                return items[index];
            }
        }

        public int Count => items.Count;

        public IEnumerator<T> GetEnumerator()
        {
            for (var i = 0; i < items.Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
