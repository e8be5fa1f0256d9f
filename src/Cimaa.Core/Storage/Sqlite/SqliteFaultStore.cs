using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

/// <summary>Faults in the <c>faults</c> table (agent, name) and heartbeats in <c>heartbeats</c> (agent).</summary>
internal sealed class SqliteFaultStore(SqliteDatabase db) : IFaultStore
{
    private const string FaultColumns = "agent, name, severity, message, since, updated, triggered";

    public int WriteConcurrency => 1;

    private static FaultRecord ReadFault(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), SqliteDatabase.NullableLong(r, 5), r.GetInt64(6) != 0);

    /// <summary>Cimaa writes whole seconds (INTEGER); a REAL written by another tool is read as it is.</summary>
    private static HeartbeatRecord ReadHeartbeat(SqliteDataReader r) =>
        new(r.GetString(0), r.GetFieldType(1) == typeof(double) ? (decimal)r.GetDouble(1) : r.GetInt64(1));

    public IAsyncEnumerable<FaultRecord> GetAgentFaultsAsync(string agent, OpContext op)
    {
        op.Log.Verbose(ReadNotes.AgentFaults(agent, "faults"));
        return db.QueryAsync("SelectFaults", $"SELECT {FaultColumns} FROM faults WHERE agent = $agent ORDER BY name", [agent], ReadFault, op);
    }

    public IAsyncEnumerable<HeartbeatRecord> GetHeartbeatsAsync(OpContext op)
    {
        op.Log.Verbose(ReadNotes.Heartbeats("heartbeats"));
        return db.QueryAsync("SelectHeartbeats", "SELECT agent, updated FROM heartbeats ORDER BY agent", [], ReadHeartbeat, op);
    }

    /// <summary>
    /// SQLite would compare with the cutoff as a double, a tick off at today's epochs; so the index range is bounded by the
    /// whole second above the cutoff (exact for any value below it) and the exact decimal comparison is made here.
    /// </summary>
    public async IAsyncEnumerable<HeartbeatRecord> GetHeartbeatsBeforeAsync(decimal cutoff, OpContext op)
    {
        var bound = (long)decimal.Ceiling(cutoff);
        await foreach (var h in db.QueryAsync("SelectStaleHeartbeats",
            "SELECT agent, updated FROM heartbeats WHERE updated < $bound ORDER BY updated, agent", [bound], ReadHeartbeat, op).ConfigureAwait(false))
        {
            if (h.Updated < cutoff) yield return h;
        }
    }

    public Task WriteFaultsAsync(string agent, IReadOnlyList<FaultRecord> puts, IReadOnlyList<string> deletes, long? heartbeat, OpContext op) =>
        db.WriteAsync(async tx =>
        {
            await db.ExecuteEachAsync(tx, "UpsertFaults",
                $"INSERT OR REPLACE INTO faults ({FaultColumns}) VALUES ($agent, $name, $severity, $message, $since, $updated, $triggered)",
                puts, f => [agent, f.Name, f.Severity, f.Message, f.Since, f.Updated, f.Triggered ? 1 : 0], op).ConfigureAwait(false);
            await db.ExecuteEachAsync(tx, "DeleteFaults", "DELETE FROM faults WHERE agent = $agent AND name = $name",
                deletes, name => [agent, name], op).ConfigureAwait(false);
            // Last statement of the same transaction: the heartbeat commits only with every fault write.
            return heartbeat is { } beat ? await UpsertHeartbeatAsync(tx, agent, beat, op).ConfigureAwait(false) : 0;
        }, op);

    /// <summary>A whole second is stored as INTEGER; a fraction (kept by an import) as REAL, as zc.cimaa's time.time() would be.</summary>
    public Task PutHeartbeatAsync(string agent, decimal updated, OpContext op) =>
        db.WriteAsync(tx => UpsertHeartbeatAsync(tx, agent, decimal.Truncate(updated) == updated ? (long)updated : (double)updated, op), op);

    public IAsyncEnumerable<FaultRecord> ScanFaultsAsync(OpContext op)
    {
        op.Log.Verbose("Reading every fault from table 'faults'");
        return db.QueryAsync("SelectAllFaults", $"SELECT {FaultColumns} FROM faults ORDER BY agent, name", [], ReadFault, op);
    }

    private Task<int> UpsertHeartbeatAsync(SqliteTransaction tx, string agent, object updated, OpContext op) =>
        db.ExecuteAsync(tx, "UpsertHeartbeat", "INSERT OR REPLACE INTO heartbeats (agent, updated) VALUES ($agent, $updated)", [agent, updated], op);

    public Task<bool> DeleteFaultAsync(string agent, string name, OpContext op) =>
        db.WriteAsync(async tx => await db.ExecuteAsync(tx, "DeleteFault", "DELETE FROM faults WHERE agent = $agent AND name = $name",
            [agent, name], op).ConfigureAwait(false) > 0, op);

    public Task<bool> DeleteAgentAsync(string agent, OpContext op) =>
        db.WriteAsync(async tx => await db.ExecuteAsync(tx, "DeleteAgent",
            "DELETE FROM faults WHERE agent = $agent; DELETE FROM heartbeats WHERE agent = $agent;", [agent], op).ConfigureAwait(false) > 0, op);
}
