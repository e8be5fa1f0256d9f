using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Cimaa.Deploy;

namespace Cimaa.PowerShell.Commands;

/// <summary>
/// Checks a deployment agent's status file (zc.zkdeployment's monitor): one Cimaa.DeployStatus per file, with a Nagios
/// state and exit code, and a fault severity and message that pipe into Set-CimaaFault -Check.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "CimaaDeployStatus", DefaultParameterSetName = ClusterVersionSet)]
[OutputType("Cimaa.DeployStatus")]
public sealed class TestCimaaDeployStatusCommand : CimaaCmdlet
{
    private const string ClusterVersionSet = "ClusterVersion";
    private const string ClusterVersionFromSet = "ClusterVersionFrom";

    private readonly List<(string Path, string? Problem)> _files = [];
    private (string Store, string Option, string Key)? _source;

    /// <summary>The status files; literal paths, relative to the current location.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string[] Path { get; set; } = [];

    /// <summary>An agent busy for longer than this is a warning.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan WarningAge { get; set; } = TimeSpan.FromSeconds(200);

    /// <summary>An agent busy for longer than this is critical.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan ErrorAge { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>The version the cluster should run; a done status of another version is critical. Null or empty: unknown, a warning.</summary>
    [Parameter(ParameterSetName = ClusterVersionSet)]
    [AllowNull]
    [AllowEmptyString]
    public string? ClusterVersion { get; set; }

    /// <summary>Where the configuration store holds the cluster version: 'store/option/key'.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClusterVersionFromSet)]
    public string ClusterVersionFrom { get; set; } = "";

    protected override void BeginProcessing()
    {
        // Reading status files alone needs no store, so it works on any connection.
        if (ParameterSetName != ClusterVersionFromSet) return;
        base.BeginProcessing();
        try
        {
            var spec = ClusterVersionSourceSpec.Parse(ClusterVersionFrom);
            _source = (spec.Store, spec.Option, spec.Key);
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            _files.Add(Resolve(path));
        }
    }

    protected override void EndProcessing()
    {
        var cluster = ClusterVersionInputFor();
        var now = Clock().GetUtcNow();
        var thresholds = new DeployThresholds(WarningAge, ErrorAge);
        foreach (var (path, problem) in _files)
        {
            WriteVerbose($"Reading status file {path}");
            var status = problem is null
                ? DeployStatusEvaluator.Check(path, now, thresholds, cluster)
                : DeployStatusEvaluator.Evaluate(path, StatusFileRead.Failed(problem), now, thresholds, cluster);
            WriteObject(status);
        }
    }

    /// <summary>A literal file-system path; a path that cannot be one is reported as unreadable, so every input gets a status.</summary>
    private (string Path, string? Problem) Resolve(string path)
    {
        try
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            return provider.Name == "FileSystem" ? (resolved, null) : (path, $"not a file system path (provider {provider.Name})");
        }
        catch (Exception e) when (e is SessionStateException or NotSupportedException or ArgumentException or PSInvalidOperationException)
        {
            return (path, e.Message);
        }
    }

    /// <summary>The connection's clock when a connection exists; reading a file opens none.</summary>
    private TimeProvider Clock()
    {
        var connection = Connection ?? SessionConnection.Get(Runspace.DefaultRunspace);
        return connection?.Clock ?? TimeProvider.System;
    }

    private ClusterVersionInput ClusterVersionInputFor()
    {
        if (_source is { } source)
        {
            var connection = ResolveConnection();
            string? value = null;
            WriteVerbose($"Reading the cluster version from {source.Store}/{source.Option}/{source.Key}");
            Run(async pump => value = await connection.Client.Deploy.GetAsync(source.Store, source.Option, source.Key, pump.Context).ConfigureAwait(false));
            return ClusterVersionInput.Configured(value);
        }
        return MyInvocation.BoundParameters.ContainsKey(nameof(ClusterVersion))
            ? ClusterVersionInput.Configured(ClusterVersion)
            : ClusterVersionInput.NotConfigured;
    }
}
