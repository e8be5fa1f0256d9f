namespace Cimaa.Storage;

/// <summary>The zc.cimaa layout of the faults table that the rules above the stores also need.</summary>
public static class FaultLayout
{
    /// <summary>
    /// The agent of heartbeat rows: a heartbeat is the row agent = '_', name = the agent (DynamoDB), so no real agent may
    /// be named '_' (SQLite keeps heartbeats in a table of their own, but the rule is the same on both stores).
    /// </summary>
    public const string HeartbeatAgent = "_";
}
