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
        // To the tick, so Age is exact for fractional heartbeats too; Cimaa writes whole seconds, which skip the decimal arithmetic.
        var seen = h.Updated.Scale == 0 && h.Updated is >= MinSeconds and <= MaxSeconds
            ? DateTimeOffset.FromUnixTimeSeconds((long)h.Updated)
            : Storage.Epoch.ToTime(h.Updated);
        return new Agent { Agent = h.Agent, LastSeen = seen, Age = now - seen };
    }

    private const long MinSeconds = -62_135_596_800; // 0001-01-01
    private const long MaxSeconds = 253_402_300_799; // 9999-12-31 23:59:59
}

/// <summary>The properties of <see cref="Cimaa.Agent"/>.</summary>
public abstract class AgentHeartbeat
{
    public required string Agent { get; init; }
    public DateTimeOffset LastSeen { get; init; }
    public TimeSpan Age { get; init; }

    public override string ToString() => Agent;
}
