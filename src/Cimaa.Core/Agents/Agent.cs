namespace Cimaa;

/// <summary>An agent's heartbeat (type name Cimaa.Agent).</summary>
/// <remarks>
/// C# does not let a class declare a member named like the class, so the properties, <c>Agent</c> among them, are declared
/// on <see cref="AgentHeartbeat"/>. PowerShell sees one object of type Cimaa.Agent with Agent, LastSeen and Age.
/// </remarks>
public sealed class Agent : AgentHeartbeat
{
    internal static Agent From(Storage.HeartbeatRecord h, DateTimeOffset now)
    {
        var seen = Storage.Epoch.ToTime(h.Updated); // to the tick, so Age is exact for fractional heartbeats too
        return new Agent { Agent = h.Agent, LastSeen = seen, Age = now - seen };
    }
}

/// <summary>The properties of <see cref="Cimaa.Agent"/>.</summary>
public abstract class AgentHeartbeat
{
    public required string Agent { get; init; }
    public DateTimeOffset LastSeen { get; init; }
    public TimeSpan Age { get; init; }

    public override string ToString() => Agent;
}
