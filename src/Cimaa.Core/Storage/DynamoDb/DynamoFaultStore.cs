using Amazon.DynamoDBv2.Model;
using static Cimaa.Storage.DynamoDb.DynamoItems;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// Faults and heartbeats in <c>&lt;prefix&gt;faults</c>: hash agent, range name. A heartbeat is the row
/// agent = <see cref="FaultLayout.HeartbeatAgent"/>, name = the agent.
/// </summary>
internal sealed class DynamoFaultStore(DynamoTableClient table) : IFaultStore
{
    private string Table => table.Settings.FaultsTable;

    public int WriteConcurrency => 8;

    public async IAsyncEnumerable<FaultRecord> GetAgentFaultsAsync(string agent, OpContext op)
    {
        op.Log.Verbose(ReadNotes.AgentFaults(agent, Table));
        await foreach (var item in table.QueryAsync(AgentQuery(agent), op).ConfigureAwait(false))
        {
            yield return ToFault(item);
        }
    }

    public IAsyncEnumerable<HeartbeatRecord> GetHeartbeatsAsync(OpContext op)
    {
        op.Log.Verbose(ReadNotes.Heartbeats(Table));
        return Heartbeats(AgentQuery(FaultLayout.HeartbeatAgent), op);
    }

    /// <summary>The key condition carries the exact cutoff as a (possibly fractional) N, which DynamoDB compares exactly.</summary>
    public IAsyncEnumerable<HeartbeatRecord> GetHeartbeatsBeforeAsync(decimal cutoff, OpContext op)
    {
        var n = Epoch.ToN(cutoff);
        op.Log.Verbose($"Querying index 'updated' of {Table} for heartbeats before {n}");
        return Heartbeats(new QueryRequest
        {
            TableName = Table,
            IndexName = "updated",
            KeyConditionExpression = "#a = :a AND #u < :c",
            ExpressionAttributeNames = new() { ["#a"] = "agent", ["#u"] = "updated" },
            ExpressionAttributeValues = new() { [":a"] = S(FaultLayout.HeartbeatAgent), [":c"] = new AttributeValue { N = n } },
        }, op);
    }

    private QueryRequest AgentQuery(string agent) => new()
    {
        TableName = Table,
        KeyConditionExpression = "#a = :a",
        ExpressionAttributeNames = new() { ["#a"] = "agent" },
        ExpressionAttributeValues = new() { [":a"] = S(agent) },
    };

    private async IAsyncEnumerable<HeartbeatRecord> Heartbeats(QueryRequest request, OpContext op)
    {
        await foreach (var item in table.QueryAsync(request, op).ConfigureAwait(false))
        {
            if (Str(item, "name") is { } name && Exact(item, "updated") is { } updated) yield return new HeartbeatRecord(name, updated);
        }
    }

    /// <summary>
    /// ceil((writes + 1) / 25) BatchWriteItem requests, one after another, each re-sent until all its items are processed: the
    /// heartbeat is the last item of the last batch, so it is sent only after every other batch of the agent succeeded. If that
    /// last batch is applied only in part and its retries run out, the write fails (StoreError) with the heartbeat possibly
    /// fresh while some of the batch's fault writes are missing; the agent's next run writes its whole set again.
    /// </summary>
    public async Task WriteFaultsAsync(string agent, IReadOnlyList<FaultRecord> puts, IReadOnlyList<string> deletes, long? heartbeat, OpContext op)
    {
        // Puts, then deletes, then the heartbeat as the last item; each request made as its batch is sent.
        var beat = heartbeat is null ? 0 : 1;
        var count = puts.Count + deletes.Count + beat;
        if (count == 0) return;
        await table.BatchWriteAsync(Table, count, i =>
            i < puts.Count ? new WriteRequest(new PutRequest(ToItem(puts[i])))
            : i < puts.Count + deletes.Count ? new WriteRequest(new DeleteRequest(FaultKey(agent, deletes[i - puts.Count])))
            : new WriteRequest(new PutRequest(HeartbeatItem(agent, heartbeat!.Value))), op).ConfigureAwait(false);
    }

    /// <summary>The time as an exact N: a fraction (kept by an import of a zc.cimaa heartbeat) is written as it is.</summary>
    public Task PutHeartbeatAsync(string agent, decimal updated, OpContext op) => table.PutAsync(Table, HeartbeatItem(agent, updated), op);

    private static Dictionary<string, AttributeValue> HeartbeatItem(string agent, decimal updated) => new()
    {
        ["agent"] = S(FaultLayout.HeartbeatAgent), ["name"] = S(agent), ["updated"] = new AttributeValue { N = Epoch.ToN(updated) },
    };

    /// <summary>A Scan of the whole table with the heartbeat rows filtered out by the server.</summary>
    public async IAsyncEnumerable<FaultRecord> ScanFaultsAsync(OpContext op)
    {
        op.Log.Verbose($"Scanning every fault of {Table}");
        var request = new ScanRequest
        {
            TableName = Table,
            FilterExpression = "#a <> :h",
            ExpressionAttributeNames = new() { ["#a"] = "agent" },
            ExpressionAttributeValues = new() { [":h"] = S(FaultLayout.HeartbeatAgent) },
        };
        await foreach (var item in table.ScanAsync(request, op).ConfigureAwait(false)) yield return ToFault(item);
    }

    public Task<bool> DeleteFaultAsync(string agent, string name, OpContext op) => table.DeleteAsync(Table, FaultKey(agent, name), op);

    public async Task<bool> DeleteAgentAsync(string agent, OpContext op)
    {
        var names = new List<string>();
        await foreach (var f in GetAgentFaultsAsync(agent, op).ConfigureAwait(false)) names.Add(f.Name);
        if (names.Count > 0) await WriteFaultsAsync(agent, [], names, null, op).ConfigureAwait(false);
        var heartbeat = await table.DeleteAsync(Table, FaultKey(FaultLayout.HeartbeatAgent, agent), op).ConfigureAwait(false);
        return heartbeat || names.Count > 0;
    }

    private static Dictionary<string, AttributeValue> FaultKey(string agent, string name) =>
        new() { ["agent"] = S(agent), ["name"] = S(name) };

    private static Dictionary<string, AttributeValue> ToItem(FaultRecord f)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["agent"] = S(f.Agent),
            ["name"] = S(f.Name),
            ["severity"] = N(f.Severity),
            ["message"] = S(f.Message),
            ["since"] = N(f.Since),
        };
        if (f.Updated is { } updated) item["updated"] = N(updated);
        if (f.Triggered) item["triggered"] = S("y");
        return item;
    }

    /// <summary>Reads an item as Python agents write it; attributes it does not know are ignored.</summary>
    internal static FaultRecord ToFault(Dictionary<string, AttributeValue> item) =>
        new(Str(item, "agent") ?? "", Str(item, "name") ?? "", (int)(Long(item, "severity") ?? 0), Str(item, "message") ?? "",
            Long(item, "since") ?? 0, Long(item, "updated"), Str(item, "triggered") == "y");
}
