namespace FloorModule;

/// <summary>The property set of Cimaa.Agent (Agent, LastSeen, Age), as a plain class.</summary>
public sealed class FloorAgent
{
    public required string Agent { get; init; }
    public DateTimeOffset LastSeen { get; init; }
    public TimeSpan Age { get; init; }

    public override string ToString() => Agent;
}
