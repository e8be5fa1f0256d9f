namespace Cimaa.Deploy;

/// <summary>The age thresholds of the check (zc.zkdeployment's monitor: --warn 200, --error 600).</summary>
public sealed record DeployThresholds(TimeSpan WarningAge, TimeSpan ErrorAge)
{
    public static DeployThresholds Default { get; } = new(TimeSpan.FromSeconds(200), TimeSpan.FromSeconds(600));
}

/// <summary>
/// The rules of the deployment check, first match wins (see the contract's "Deployment status"). Pure and total: it takes
/// what was read and the time explicitly, and gives one of the four states for any input, without throwing.
/// </summary>
public static class DeployStatusEvaluator
{
    /// <summary>A status time further ahead of now than this is malformed (clock skew is tolerated up to it).</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    public const string ClusterVersionIsNone = "Cluster version is None";

    /// <summary>Reads the file and evaluates it.</summary>
    public static DeployStatus Check(string path, DateTimeOffset now, DeployThresholds thresholds, ClusterVersionInput cluster) =>
        Evaluate(path, StatusFile.Read(path), now, thresholds, cluster);

    public static DeployStatus Evaluate(string path, StatusFileRead file, DateTimeOffset now, DeployThresholds thresholds,
        ClusterVersionInput cluster)
    {
        var clusterVersion = cluster.Kind == ClusterVersionKind.Known ? cluster.Value : null;

        // 1. Missing or unreadable.
        if (file.Content is null)
        {
            return Result(path, DeployState.Critical, $"Cannot read status file {path}: {file.Error ?? "unknown error"}", null, null, clusterVersion);
        }

        // 2. Malformed, which includes a time too far in the future.
        var parse = StatusLineParser.Parse(file.Content);
        if (parse.Line is not { } line)
        {
            return Result(path, DeployState.Unknown, $"Malformed status file {path}: {parse.Problem}", null, null, clusterVersion);
        }
        var ahead = line.Time - now;
        if (ahead > MaxFutureSkew)
        {
            return Result(path, DeployState.Unknown,
                $"Malformed status file {path}: time {line.Time:u} is {WholeSeconds(ahead)} seconds in the future", null, null, clusterVersion);
        }
        var age = now - line.Time;

        var outcome = Rules(line, age, thresholds, clusterVersion);

        // A configured cluster version source without a value (the monitor's "Cluster version is None") means the check
        // cannot be verified: it never passes as OK, and it never hides a worse state.
        if (cluster.Kind == ClusterVersionKind.Missing && outcome.State == DeployState.Ok)
        {
            outcome = (DeployState.Warning, ClusterVersionIsNone);
        }
        return Result(path, outcome.State, outcome.Message, line, age, clusterVersion);
    }

    private static (DeployState State, string Message) Rules(StatusLine line, TimeSpan age, DeployThresholds thresholds, string? clusterVersion)
    {
        // 3. An error.
        if (line.Status == "error") return (DeployState.Critical, $"Error deploying {line.Version}");
        if (line.Status == "done")
        {
            // 4. Done, but not the cluster's version.
            if (clusterVersion is not null && !string.Equals(line.Version, clusterVersion, StringComparison.Ordinal))
            {
                return (DeployState.Critical, $"Version mismatch (status: {line.Version}, cluster: {clusterVersion})");
            }
            // 5. Done.
            return (DeployState.Ok, "done");
        }
        // 6. In progress for too long.
        if (age > thresholds.ErrorAge)
        {
            return (DeployState.Critical, TooLong(line, age, thresholds.ErrorAge));
        }
        if (age > thresholds.WarningAge)
        {
            return (DeployState.Warning, TooLong(line, age, thresholds.WarningAge));
        }
        // 7. In progress.
        return (DeployState.Ok, line.Status);
    }

    private static string TooLong(StatusLine line, TimeSpan age, TimeSpan limit) =>
        $"Too long deploying {line.Version} ({line.Status}) {WholeSeconds(age)} > {WholeSeconds(limit)}";

    /// <summary>Whole seconds, truncated toward zero (Python's %d of a float).</summary>
    public static long WholeSeconds(TimeSpan span) => span.Ticks / TimeSpan.TicksPerSecond;

    private static DeployStatus Result(string path, DeployState state, string message, StatusLine? line, TimeSpan? age, string? clusterVersion) => new()
    {
        Path = path,
        State = state.Name,
        ExitCode = state.ExitCode,
        Severity = state.Severity,
        Level = state.Level,
        Message = message,
        Version = line?.Version,
        AgentStatus = line?.Status,
        Pid = line?.Pid,
        Time = line?.Time,
        Age = age,
        ClusterVersion = clusterVersion,
    };
}
