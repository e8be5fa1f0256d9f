namespace Cimaa.Report;

/// <summary>Everything the status page shows, read at <see cref="GeneratedAt"/>; built by <see cref="ReportService"/>.</summary>
public sealed class ReportModel
{
    /// <summary>The levels of the counts, worst first.</summary>
    public static readonly IReadOnlyList<string> Levels = ["Critical", "Error", "Warning", "Info"];

    public required DateTimeOffset GeneratedAt { get; init; }
    public required TimeSpan StaleAfter { get; init; }
    public required TimeSpan Window { get; init; }

    /// <summary>Agents with current faults, worst first (<see cref="AgentFaults.CompareWorstFirst"/>).</summary>
    public required IReadOnlyList<AgentFaults> Agents { get; init; }

    /// <summary>Agents whose heartbeat is older than <see cref="StaleAfter"/>, oldest first.</summary>
    public required IReadOnlyList<Agent> StaleAgents { get; init; }

    /// <summary>Every squelch, by pattern, with how many current faults it silences.</summary>
    public required IReadOnlyList<SquelchUse> Squelches { get; init; }

    public required IReadOnlyList<Sparkline> Sparklines { get; init; }

    public int FaultCount => Agents.Sum(a => a.Faults.Count);

    /// <summary>Current faults a squelch silences.</summary>
    public int SquelchedCount => Agents.Sum(a => a.Squelched);

    /// <summary>Unsquelched faults of a level (Critical, Error, Warning, Info).</summary>
    public int Count(string level) => Agents.Sum(a => a.Faults.Count(f => f.Squelch is null && f.Level == level));
}

/// <summary>
/// One agent's current faults, worst first (severity, then name). Its rank is the level of its worst unsquelched fault;
/// an agent whose faults are all squelched ranks below every agent with an unsquelched one.
/// </summary>
public sealed class AgentFaults
{
    public AgentFaults(string agent, IEnumerable<Fault> faults)
    {
        Agent = agent;
        Faults = faults.OrderByDescending(f => f.Severity).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        var open = Faults.Where(f => f.Squelch is null).ToList();
        Squelched = Faults.Count - open.Count;
        WorstSeverity = open.Count > 0 ? open[0].Severity : -1;
        WorstLevel = open.Count > 0 ? open[0].Level : null;
        WorstCount = open.Count(f => f.Level == WorstLevel);
    }

    public string Agent { get; }
    public IReadOnlyList<Fault> Faults { get; }

    /// <summary>The level of the worst unsquelched fault; null when every fault is squelched.</summary>
    public string? WorstLevel { get; }

    public int WorstSeverity { get; }

    /// <summary>How many unsquelched faults have <see cref="WorstLevel"/>.</summary>
    public int WorstCount { get; }

    public int Squelched { get; }

    /// <summary>Worst first: the highest level (of unsquelched faults), then more faults of that level, then the name (ordinal).</summary>
    public static int CompareWorstFirst(AgentFaults a, AgentFaults b)
    {
        var c = Rank(b.WorstLevel).CompareTo(Rank(a.WorstLevel));
        if (c == 0) c = b.WorstCount.CompareTo(a.WorstCount);
        return c != 0 ? c : string.CompareOrdinal(a.Agent, b.Agent);
    }

    /// <summary>Critical 4, Error 3, Warning 2, Info 1, none 0.</summary>
    public static int Rank(string? level) => level switch { "Critical" => 4, "Error" => 3, "Warning" => 2, "Info" => 1, _ => 0 };
}

/// <summary>A squelch and the number of current faults whose Squelch it is.</summary>
public sealed record SquelchUse(Squelch Squelch, int Silences);

/// <summary>
/// One stream of a chosen metric over the window: its tags and its numeric points (1-minute averages).
/// <see cref="MoreStreams"/> counts the streams of the metric not drawn.
/// </summary>
public sealed record Sparkline(ReportMetric Metric, string Series, IReadOnlyList<(long Ms, decimal Value)> Points, int MoreStreams = 0);
