using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Cimaa.Faults;
using Cimaa.Storage;

namespace Cimaa.Core.Tests;

/// <summary>
/// Set-CimaaFault on DynamoDB, request by request: 1 Query and ceil((writes + 1) / 25) BatchWriteItem per agent, the heartbeat
/// the last item of the agent's last batch, sent only after the agent's other batches succeeded.
/// </summary>
public class DynamoFaultWriteTests
{
    private static async Task<(CimaaClient Client, FaultInjectingHandler Handler)> OpenAsync(int writes = 3)
    {
        var factory = new FaultInjectingFactory();
        var client = await TestStores.OpenInitialized(TestStores.Dynamo(null, factory, writes: writes));
        return (client, factory.Handler);
    }

    private static IReadOnlyDictionary<string, List<ValidFault>> Workload(params (string Agent, int Faults)[] agents) =>
        FaultValidation.Validate(agents.Select(a => a.Agent),
            agents.SelectMany(a => Enumerable.Range(0, a.Faults).Select(i => new FaultInput(a.Agent, $"f{i:D3}", 40, "m", false))), null);

    /// <summary>The agent a request is about: the Query's key, or the agent of a batch's items (a heartbeat's is its name).</summary>
    private static string AgentOf(string operation, JsonNode body)
    {
        if (operation == "Query") return (string)body["ExpressionAttributeValues"]![":a"]!["S"]!;
        var agents = Items(body).Select(i => i.Agent).Distinct().ToList();
        Assert.Single(agents);
        return agents[0];
    }

    /// <summary>A BatchWriteItem's items in order: the agent each is about, and whether it is the heartbeat row.</summary>
    private static List<(string Agent, bool Heartbeat)> Items(JsonNode body) =>
        body["RequestItems"]!.AsObject().Single().Value!.AsArray().Select(w =>
        {
            var item = w!["PutRequest"]?["Item"] ?? w["DeleteRequest"]!["Key"]!;
            var agent = (string)item["agent"]!["S"]!;
            return agent == FaultLayout.HeartbeatAgent ? ((string)item["name"]!["S"]!, true) : (agent, false);
        }).ToList();

    [Fact]
    public async Task Each_agent_is_one_Query_and_its_batches_with_the_heartbeat_last_in_its_last_batch()
    {
        var (client, handler) = await OpenAsync();
        await using var _c = client;
        var agents = new[] { ("a0", 0), ("a1", 3), ("a2", 24), ("a3", 25), ("a4", 49), ("a5", 60), ("a6", 7), ("a7", 26), ("a8", 1) };
        handler.Recorded = new ConcurrentQueue<(string, JsonNode)>();
        await client.Faults.SetAsync(Workload(agents), null, OpContext.None);

        var sent = handler.Recorded.ToList();
        Assert.All(sent, r => Assert.Contains(r.Operation, new[] { "Query", "BatchWriteItem" }));
        foreach (var (agent, faults) in agents)
        {
            var mine = sent.Where(r => AgentOf(r.Operation, r.Body) == agent).ToList();
            Assert.Equal("Query", mine[0].Operation);
            Assert.Single(mine, r => r.Operation == "Query");
            var batches = mine.Where(r => r.Operation == "BatchWriteItem").Select(r => Items(r.Body)).ToList();
            Assert.Equal((faults + 1 + 24) / 25, batches.Count);
            Assert.All(batches.SkipLast(1), b => Assert.Equal(25, b.Count));
            Assert.All(batches.SkipLast(1), b => Assert.DoesNotContain(b, i => i.Heartbeat));
            Assert.DoesNotContain(batches[^1].SkipLast(1), i => i.Heartbeat);
            Assert.True(batches[^1][^1].Heartbeat, $"{agent}: the heartbeat is not the last item of the last batch");
        }
        Assert.Equal(agents.Length, (await client.Agents.GetAsync(null, OpContext.None).ToListAsync()).Count);
    }

    [Fact]
    public async Task A_failed_earlier_batch_leaves_the_heartbeat_unsent()
    {
        var (client, handler) = await OpenAsync();
        await using var _c = client;
        handler.Operations = ["BatchWriteItem"];
        handler.Recorded = new ConcurrentQueue<(string, JsonNode)>();
        handler.ResetRequests();
        // Request 1 is the Query, 2 the first batch; from the second batch on, every BatchWriteItem is throttled.
        handler.OnRequest = n => { if (n == 3) handler.ThrottleAll = true; };
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.Faults.SetAsync(Workload(("a", 60)), null, OpContext.None));
        handler.ThrottleAll = false;
        handler.OnRequest = null;

        Assert.Equal(ErrorIds.ThroughputExceeded, e.ErrorId);
        Assert.DoesNotContain(handler.Recorded, r => r.Operation == "BatchWriteItem" && Items(r.Body).Any(i => i.Heartbeat));
        Assert.Empty(await client.Agents.GetAsync(null, OpContext.None).ToListAsync());
        Assert.Equal(25, (await client.Stores.Faults.GetAgentFaultsAsync("a", OpContext.None).ToListAsync()).Count);
    }

    [Fact]
    public async Task A_partial_last_batch_is_re_sent_until_every_item_and_the_heartbeat_are_written()
    {
        var (client, handler) = await OpenAsync(writes: 20);
        await using var _c = client;
        handler.PartialBatchRate = 1.0;
        var log = new RecordingLog();
        await client.Faults.SetAsync(Workload(("a", 30)), null, log.Context);
        handler.PartialBatchRate = 0;

        Assert.True(handler.PartialBatches >= 2, $"{handler.PartialBatches} partial batches");
        Assert.NotEmpty(log.Warnings);
        Assert.Equal(30, (await client.Stores.Faults.GetAgentFaultsAsync("a", OpContext.None).ToListAsync()).Count);
        Assert.Equal(["a"], (await client.Agents.GetAsync(null, OpContext.None).ToListAsync()).Select(h => h.Agent));
    }

    /// <summary>
    /// The documented consequence: the last batch applied only in part (its heartbeat among the items processed) with no
    /// attempt left fails the command loudly; the heartbeat is fresh while some faults are missing; the next run repairs the set.
    /// </summary>
    [Fact]
    public async Task A_partial_last_batch_with_the_retries_exhausted_fails_loudly_and_the_next_run_repairs_it()
    {
        var (client, handler) = await OpenAsync(writes: 1);
        await using var _c = client;
        handler.PartialBatchRate = 1.0;
        handler.PartialBatchKeepsTail = true; // the heartbeat, last, is processed; the first faults are not
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.Faults.SetAsync(Workload(("a", 10)), null, OpContext.None));
        handler.PartialBatchRate = 0;

        Assert.Equal(ErrorIds.ThroughputExceeded, e.ErrorId);
        Assert.Equal("error writing dynamodb in 1 tries", e.Message);
        Assert.Equal(["a"], (await client.Agents.GetAsync(null, OpContext.None).ToListAsync()).Select(h => h.Agent));
        var written = await client.Stores.Faults.GetAgentFaultsAsync("a", OpContext.None).ToListAsync();
        Assert.InRange(written.Count, 0, 9);

        await client.Faults.SetAsync(Workload(("a", 10)), null, OpContext.None);
        Assert.Equal(10, (await client.Stores.Faults.GetAgentFaultsAsync("a", OpContext.None).ToListAsync()).Count);
    }
}
