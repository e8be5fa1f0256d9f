namespace Cimaa;

/// <summary>
/// The health of a deployment agent, as read from its status file by Test-CimaaDeployStatus.
/// It has no Name property on purpose: piped into <c>Set-CimaaFault -Agent X -Check deploy</c>, it binds Severity and
/// Message by property name, and the fault is named after the check.
/// </summary>
public sealed class DeployStatus
{
    /// <summary>The status file (a full file-system path).</summary>
    public required string Path { get; init; }

    /// <summary>OK, WARNING, CRITICAL or UNKNOWN (Nagios plugin states).</summary>
    public required string State { get; init; }

    /// <summary>The Nagios plugin exit code of the state: 0, 1, 2 or 3.</summary>
    public required int ExitCode { get; init; }

    /// <summary>The fault severity of the state: 0, 30, 40 or 40.</summary>
    public required int Severity { get; init; }

    /// <summary>The severity's name: OK, Warning or Error.</summary>
    public required string Level { get; init; }

    public required string Message { get; init; }

    /// <summary>The version being deployed or last deployed; null when the file could not be read or parsed.</summary>
    public string? Version { get; init; }

    /// <summary>The agent's status text (done, error, or what it is busy with).</summary>
    public string? AgentStatus { get; init; }

    /// <summary>The agent's process id, as written in the file.</summary>
    public int? Pid { get; init; }

    /// <summary>When the agent wrote the status (UTC).</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>How long ago the agent wrote the status.</summary>
    public TimeSpan? Age { get; init; }

    /// <summary>The cluster version compared against, when one is known.</summary>
    public string? ClusterVersion { get; init; }

    public override string ToString() => $"{State} {Message}";
}
