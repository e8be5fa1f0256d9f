namespace Cimaa.Storage;

/// <summary>A stored fault, with times in epoch seconds as zc.cimaa stores them.</summary>
public sealed record FaultRecord(string Agent, string Name, int Severity, string Message, long Since, long? Updated, bool Triggered);

/// <summary>
/// A heartbeat row: the agent and when it last reported, in epoch seconds. Cimaa writes whole seconds; zc.cimaa agents write
/// time.time(), so a value read may be fractional.
/// </summary>
public sealed record HeartbeatRecord(string Agent, decimal Updated);

/// <summary>Faults and heartbeats. A store only reads and writes; the rules live in FaultService and AgentService.</summary>
public interface IFaultStore
{
    /// <summary>How many agents a bulk write works on at once.</summary>
    int WriteConcurrency { get; }

    /// <summary>One agent's faults, sorted by name. Never includes heartbeat rows.</summary>
    IAsyncEnumerable<FaultRecord> GetAgentFaultsAsync(string agent, OpContext op);

    /// <summary>Every heartbeat, sorted by agent.</summary>
    IAsyncEnumerable<HeartbeatRecord> GetHeartbeatsAsync(OpContext op);

    /// <summary>Heartbeats with updated &lt; cutoff, compared exactly (the cutoff may be fractional), oldest first (the LSI on DynamoDB).</summary>
    IAsyncEnumerable<HeartbeatRecord> GetHeartbeatsBeforeAsync(decimal cutoff, OpContext op);

    /// <summary>
    /// Puts and deletes one agent's faults, then, when <paramref name="heartbeat"/> is given and only after every fault write
    /// succeeded, writes the agent's heartbeat. Everything is written when it returns. (SQLite does it in one transaction;
    /// DynamoDB sends the batches, then the heartbeat.)
    /// </summary>
    Task WriteFaultsAsync(string agent, IReadOnlyList<FaultRecord> puts, IReadOnlyList<string> deletes, long? heartbeat, OpContext op);

    /// <summary>Writes a heartbeat; a fractional time (kept by an import) is stored as exactly as the store can.</summary>
    Task PutHeartbeatAsync(string agent, decimal updated, OpContext op);

    /// <summary>Every fault of every agent, never heartbeat rows (for export). SQLite sorts by agent and name; DynamoDB Scans, unordered.</summary>
    IAsyncEnumerable<FaultRecord> ScanFaultsAsync(OpContext op);

    /// <summary>Deletes one fault; false when it did not exist.</summary>
    Task<bool> DeleteFaultAsync(string agent, string name, OpContext op);

    /// <summary>Deletes the heartbeat and every fault of the agent; false when neither existed.</summary>
    Task<bool> DeleteAgentAsync(string agent, OpContext op);
}
