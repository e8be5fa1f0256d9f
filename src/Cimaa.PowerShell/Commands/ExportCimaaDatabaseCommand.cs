using System.Management.Automation;
using Cimaa.Export;

namespace Cimaa.PowerShell.Commands;

/// <summary>
/// Streams the selected tables of the connection into a JSON Lines file (gzip when the name ends in .gz), written to a
/// temporary file and renamed at the end. Emits one summary per table.
/// </summary>
[Cmdlet(VerbsData.Export, "CimaaDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("Cimaa.ExportSummary")]
public sealed class ExportCimaaDatabaseCommand : CimaaCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>faults (with the heartbeats), squelches, config, metrics, accesskeys; all but accesskeys when omitted.</summary>
    [Parameter]
    [ValidateSet("faults", "squelches", "config", "metrics", "accesskeys", IgnoreCase = true)]
    public string[]? Include { get; set; }

    /// <summary>Only datapoints at or after this time: a DateTimeOffset, an ISO time or a relative time such as -7d, read by Core against the connection's clock.</summary>
    [Parameter]
    public object? MetricStart { get; set; }

    /// <summary>Replaces an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var path = FileSystemPath.Resolve(this, Path);
        var connection = ResolveConnection();
        ExportRequest request = null!;
        try
        {
            request = ExportRequest.Create(path, Include, PSValues.Unwrap(MetricStart), Force, connection.Clock);
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
        if (!ShouldProcess(path, $"Export {string.Join(", ", request.Include)}")) return;
        Run(async pump =>
        {
            foreach (var summary in await connection.Client.Export.ExportAsync(request, pump.Context)) pump.Emit(summary);
        });
    }
}
