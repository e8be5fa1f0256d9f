namespace Cimaa;

/// <summary>
/// An agent's heartbeat. The cmdlets present it with the type name Cimaa.Agent (C# does not allow a class named Agent
/// to have a property named Agent).
/// </summary>
public sealed class AgentStatus
{
    public const string TypeName = "Cimaa.Agent";

    public required string Agent { get; init; }
    public DateTimeOffset LastSeen { get; init; }
    public TimeSpan Age { get; init; }

    public override string ToString() => Agent;

    internal static AgentStatus From(Storage.HeartbeatRecord h, DateTimeOffset now)
    {
        var seen = Storage.Epoch.ToTime(h.Updated);
        return new AgentStatus { Agent = h.Agent, LastSeen = seen, Age = now - seen };
    }
}
