using Cimaa.Faults;

namespace Cimaa;

/// <summary>A current fault of an agent (type name Cimaa.Fault).</summary>
public sealed class Fault
{
    public required string Agent { get; init; }
    public required string Name { get; init; }
    public int Severity { get; init; }
    public string Level => Severities.Level(Severity);
    public string Message { get; init; } = "";
    public DateTimeOffset Since { get; init; }
    public DateTimeOffset? Updated { get; init; }
    public bool Triggered { get; init; }

    /// <summary>The first current squelch pattern whose regex matches Name, else null.</summary>
    public string? Squelch { get; set; }

    public override string ToString() => $"{Agent}/{Name} {Level}";

    internal static Fault From(Storage.FaultRecord r, string? squelch = null) => new()
    {
        Agent = r.Agent,
        Name = r.Name,
        Severity = r.Severity,
        Message = r.Message,
        Since = Storage.Epoch.ToTime(r.Since),
        Updated = r.Updated is { } u ? Storage.Epoch.ToTime(u) : null,
        Triggered = r.Triggered,
        Squelch = squelch,
    };
}
