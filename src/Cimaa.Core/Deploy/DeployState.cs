namespace Cimaa.Deploy;

/// <summary>The four outcomes of the deployment check, each with its exit code and fault severity.</summary>
public sealed record DeployState(string Name, int ExitCode, int Severity, string Level)
{
    public static readonly DeployState Ok = new("OK", 0, 0, "OK");
    public static readonly DeployState Warning = new("WARNING", 1, 30, "Warning");
    public static readonly DeployState Critical = new("CRITICAL", 2, 40, "Error");
    public static readonly DeployState Unknown = new("UNKNOWN", 3, 40, "Error");

    public static IReadOnlyList<DeployState> All { get; } = [Ok, Warning, Critical, Unknown];
}
