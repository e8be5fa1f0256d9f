using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string FaultColumns = "agent, name, severity, message, since, updated, triggered";

    private static FaultRecord ReadFault(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), NullableLong(r, 5), r.GetInt64(6) != 0);

    /// <summary>Cimaa writes whole seconds (INTEGER); a REAL written by another tool is read as it is.</summary>
    private static HeartbeatRecord ReadHeartbeat(SqliteDataReader r) =>
        new(r.GetString(0), r.GetFieldType(1) == typeof(double) ? (decimal)r.GetDouble(1) : r.GetInt64(1));

    public IAsyncEnumerable<FaultRecord> GetAgentFaultsAsync(string agent, OpContext op)
    {
        op.Log.Verbose(ReadNotes.AgentFaults(agent, "faults"));
        return QueryAsync("SelectFaults", $"SELECT {FaultColumns} FROM faults WHERE agent = $agent ORDER BY name",
            p => p.AddWithValue("$agent", agent), ReadFault, op);
    }

    public IAsyncEnumerable<HeartbeatRecord> GetHeartbeatsAsync(OpContext op)
    {
        op.Log.Verbose(ReadNotes.Heartbeats("heartbeats"));
        return QueryAsync("SelectHeartbeats", "SELECT agent, updated FROM heartbeats ORDER BY agent", _ => { }, ReadHeartbeat, op);
    }

    /// <summary>
    /// SQLite would compare with the cutoff as a double, a tick off at today's epochs; so the index range is bounded by the
    /// whole second above the cutoff (exact for any value below it) and the exact decimal comparison is made here.
    /// </summary>
    public async IAsyncEnumerable<HeartbeatRecord> GetHeartbeatsBeforeAsync(decimal cutoff, OpContext op)
    {
        var bound = (long)decimal.Ceiling(cutoff);
        await foreach (var h in QueryAsync("SelectStaleHeartbeats", "SELECT agent, updated FROM heartbeats WHERE updated < $bound ORDER BY updated, agent",
            p => p.AddWithValue("$bound", bound), ReadHeartbeat, op))
        {
            if (h.Updated < cutoff) yield return h;
        }
    }

    public Task WriteFaultsAsync(string agent, IReadOnlyList<FaultRecord> puts, IReadOnlyList<string> deletes, long? heartbeat, OpContext op) =>
        WriteAsync(async (conn, tx) =>
        {
            if (puts.Count > 0)
            {
                await using var put = Command(tx, "UpsertFaults",
                    $"INSERT OR REPLACE INTO faults ({FaultColumns}) VALUES ($agent, $name, $severity, $message, $since, $updated, $triggered)", op);
                var name = put.Parameters.Add("$name", SqliteType.Text);
                var severity = put.Parameters.Add("$severity", SqliteType.Integer);
                var message = put.Parameters.Add("$message", SqliteType.Text);
                var since = put.Parameters.Add("$since", SqliteType.Integer);
                var updated = put.Parameters.Add("$updated", SqliteType.Integer);
                var triggered = put.Parameters.Add("$triggered", SqliteType.Integer);
                put.Parameters.AddWithValue("$agent", agent);
                foreach (var f in puts)
                {
                    name.Value = f.Name;
                    severity.Value = f.Severity;
                    message.Value = f.Message;
                    since.Value = f.Since;
                    updated.Value = (object?)f.Updated ?? DBNull.Value;
                    triggered.Value = f.Triggered ? 1 : 0;
                    await put.ExecuteNonQueryAsync(op.Token);
                }
            }
            if (deletes.Count > 0)
            {
                await using var delete = Command(tx, "DeleteFaults", "DELETE FROM faults WHERE agent = $agent AND name = $name", op);
                delete.Parameters.AddWithValue("$agent", agent);
                var name = delete.Parameters.Add("$name", SqliteType.Text);
                foreach (var n in deletes)
                {
                    name.Value = n;
                    await delete.ExecuteNonQueryAsync(op.Token);
                }
            }
            // Last statement of the same transaction: the heartbeat commits only with every fault write.
            if (heartbeat is { } beat) await UpsertHeartbeatAsync(tx, agent, beat, op);
            return 0;
        }, op);

    /// <summary>A whole second is stored as INTEGER; a fraction as REAL, as zc.cimaa's time.time() would be.</summary>
    public Task PutHeartbeatAsync(string agent, decimal updated, OpContext op) =>
        WriteAsync((_, tx) => UpsertHeartbeatAsync(tx, agent, decimal.Truncate(updated) == updated ? (long)updated : (double)updated, op), op);

    public IAsyncEnumerable<FaultRecord> ScanFaultsAsync(OpContext op)
    {
        op.Log.Verbose("Reading every fault from table 'faults'");
        return QueryAsync("SelectAllFaults", $"SELECT {FaultColumns} FROM faults ORDER BY agent, name", _ => { }, ReadFault, op);
    }

    private async Task<int> UpsertHeartbeatAsync(SqliteTransaction tx, string agent, object updated, OpContext op)
    {
        await using var cmd = Command(tx, "UpsertHeartbeat", "INSERT OR REPLACE INTO heartbeats (agent, updated) VALUES ($agent, $updated)", op);
        cmd.Parameters.AddWithValue("$agent", agent);
        cmd.Parameters.AddWithValue("$updated", updated);
        return await cmd.ExecuteNonQueryAsync(op.Token);
    }

    public Task<bool> DeleteFaultAsync(string agent, string name, OpContext op) =>
        WriteAsync(async (conn, tx) =>
        {
            await using var cmd = Command(tx, "DeleteFault", "DELETE FROM faults WHERE agent = $agent AND name = $name", op);
            cmd.Parameters.AddWithValue("$agent", agent);
            cmd.Parameters.AddWithValue("$name", name);
            return await cmd.ExecuteNonQueryAsync(op.Token) > 0;
        }, op);

    public Task<bool> DeleteAgentAsync(string agent, OpContext op) =>
        WriteAsync(async (conn, tx) =>
        {
            await using var cmd = Command(tx, "DeleteAgent",
                "DELETE FROM faults WHERE agent = $agent; DELETE FROM heartbeats WHERE agent = $agent;", op);
            cmd.Parameters.AddWithValue("$agent", agent);
            return await cmd.ExecuteNonQueryAsync(op.Token) > 0;
        }, op);
}
