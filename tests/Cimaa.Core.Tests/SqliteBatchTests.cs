using System.Collections;
using Cimaa.Config;
using Cimaa.Faults;
using Cimaa.Metrics;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>
/// A pipeline's writes on SQLite as one transaction (<see cref="CimaaClient.BeginBatchAsync"/>): all or nothing, reads in it
/// see its writes, and concurrent writers on other connections wait for each other instead of failing.
/// </summary>
public class SqliteBatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static IReadOnlyDictionary<string, List<ValidFault>> Faults(IEnumerable<string> agents, int count, string message = "m") =>
        FaultValidation.Validate(agents, agents.SelectMany(a => Enumerable.Range(0, count).Select(i => new FaultInput(a, $"f{i}", 40, message, false))), null);

    private static List<ValidMetric> Points(int count) =>
        MetricValidation.Validate(Enumerable.Range(0, count).Select(i => new MetricInput("m", i, null, T0.AddMinutes(i), null)), T0);

    private static Task<List<DataPoint>> Query(CimaaClient client) =>
        client.Metrics.QueryAsync(new MetricQuery(["m"], T0, T0.AddHours(1)), OpContext.None).ToListAsync();

    [Fact]
    public async Task Writes_in_a_batch_are_seen_in_it_and_by_other_connections_only_after_the_commit()
    {
        using var dir = new TempDir();
        var clock = new ManualClock(T0);
        await using var client = await TestStores.OpenInitialized(TestStores.Sqlite(dir, clock));
        await using var other = StoreFactory.Open(TestStores.Sqlite(dir, clock));
        await using (var batch = await client.BeginBatchAsync(OpContext.None))
        {
            Assert.True(batch.IsTransactional);
            var op = OpContext.None with { Batch = batch };
            await client.Faults.SetAsync(Faults(["a", "b"], 3), null, op);
            clock.Set(T0.AddSeconds(10));
            // The second write of "a" reads its stored faults in the transaction: Since is kept from the first.
            var again = await client.Faults.SetAsync(Faults(["a"], 3), null, op);
            Assert.All(again, f => Assert.Equal(T0, f.Since));
            await client.Config.SetAsync("s", "o", new Hashtable { ["k"] = 1 }, merge: false, op);
            Assert.Equal(2, (await client.Agents.GetAsync(null, op).ToListAsync()).Count);

            Assert.Empty(await other.Agents.GetAsync(null, OpContext.None).ToListAsync());
            await batch.CommitAsync(op);
            Assert.True(batch.IsCommitted);
        }
        Assert.Equal(["a", "b"], (await other.Agents.GetAsync(null, OpContext.None).ToListAsync()).Select(a => a.Agent));
        Assert.Equal(6, (await other.Faults.GetAsync(new FaultQuery(), OpContext.None).ToListAsync()).Count);
        Assert.Single(await other.Config.GetAsync(new ConfigQuery("s", ["o"]), _ => { }, OpContext.None).ToListAsync());
    }

    [Fact]
    public async Task A_batch_disposed_without_a_commit_rolls_back_every_write_and_leaves_no_cached_index_entry()
    {
        using var dir = new TempDir();
        await using var client = await TestStores.OpenInitialized(TestStores.Sqlite(dir, new ManualClock(T0)));
        await client.Faults.SetAsync(Faults(["keep"], 2), null, OpContext.None);
        await client.Config.SetAsync("s", "o", new Hashtable { ["k"] = 1 }, merge: false, OpContext.None);

        await using (var batch = await client.BeginBatchAsync(OpContext.None))
        {
            var op = OpContext.None with { Batch = batch };
            await client.Faults.SetAsync(Faults(["new"], 2), null, op);
            await client.Metrics.WriteAsync(Points(10), op);
            await client.Config.SetAsync("s", "o", new Hashtable { ["k"] = 2 }, merge: false, op);
            await client.Config.RemoveAsync("s", "o", op);
            await client.Faults.RemoveAsync("keep", "f0", op);
            await client.Agents.RemoveAsync("keep", op);
            // An error here: the batch is disposed without a commit.
        }

        Assert.Equal(["keep"], (await client.Agents.GetAsync(null, OpContext.None).ToListAsync()).Select(a => a.Agent));
        Assert.Equal(2, (await client.Faults.GetAsync(new FaultQuery(), OpContext.None).ToListAsync()).Count);
        var option = Assert.Single(await client.Config.GetAsync(new ConfigQuery("s", ["o"]), _ => { }, OpContext.None).ToListAsync());
        Assert.Equal(1L, Convert.ToInt64(option.Values["k"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await Query(client));
        // The rolled-back index entry is not taken as written: the same points written again are found.
        await client.Metrics.WriteAsync(Points(10), OpContext.None);
        Assert.Equal(10, (await Query(client)).Count);
    }

    /// <summary>
    /// Four connections (four clients, as four processes or runspaces would have), each writing whole pipelines of 20 agents
    /// at once: every transaction waits for the others (BEGIN IMMEDIATE, busy timeout) and none fails or loses a write.
    /// </summary>
    [Fact]
    public async Task Four_connections_writing_batches_at_once_lose_nothing_and_never_see_a_lock()
    {
        using var dir = new TempDir();
        await using (var setup = await TestStores.OpenInitialized(TestStores.Sqlite(dir))) { }
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            await using var client = StoreFactory.Open(TestStores.Sqlite(dir));
            var agents = Enumerable.Range(0, 20).Select(a => $"w{w}-a{a}").ToList();
            for (var round = 0; round < 8; round++)
            {
                await using var batch = await client.BeginBatchAsync(OpContext.None);
                var op = OpContext.None with { Batch = batch };
                await client.Faults.SetAsync(Faults(agents, 5, $"round {round}"), null, op);
                await client.Config.SetAsync($"w{w}", "o", new Hashtable { ["round"] = round }, merge: false, op);
                await batch.CommitAsync(op);
            }
        })).ToArray();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(3));

        await using var reader = StoreFactory.Open(TestStores.Sqlite(dir));
        var faults = await reader.Faults.GetAsync(new FaultQuery(), OpContext.None).ToListAsync();
        Assert.Equal(4 * 20 * 5, faults.Count);
        Assert.All(faults, f => Assert.Equal("round 7", f.Message));
        Assert.Equal(80, (await reader.Agents.GetAsync(null, OpContext.None).ToListAsync()).Count);
    }

    [Fact]
    public async Task DynamoDB_has_nothing_to_hold_and_writes_as_they_come()
    {
        await using var client = await TestStores.OpenInitialized(TestStores.Dynamo());
        await using (var batch = await client.BeginBatchAsync(OpContext.None))
        {
            Assert.False(batch.IsTransactional);
            await client.Faults.SetAsync(Faults(["a"], 2), null, OpContext.None with { Batch = batch });
        }
        Assert.Single(await client.Agents.GetAsync(null, OpContext.None).ToListAsync());
    }
}
