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

    /// <summary>Only datapoints at or after this time: a DateTimeOffset, an ISO time or a relative time such as -7d.</summary>
    [Parameter]
    [MetricTimeTransformation]
    public object? MetricStart { get; set; }

    /// <summary>Replaces an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var path = FileSystemPath.Resolve(this, Path);
        DateTimeOffset? start = null;
        if (MetricStart is not null)
        {
            try
            {
                start = MetricTimeParser.Parse(MetricStart, DateTimeOffset.UtcNow);
            }
            catch (CimaaException e)
            {
                ThrowTerminatingError(ToErrorRecord(e));
            }
        }
        var include = ExportTables.Normalize(Include, ExportTables.DefaultInclude);
        if (!ShouldProcess(path, $"Export {string.Join(", ", include)}")) return;
        var connection = ResolveConnection();
        var request = new ExportRequest(path, include, start, Force);
        Run(async pump =>
        {
            foreach (var summary in await new ExportService(connection.Store).ExportAsync(request, pump.Context)) pump.Emit(summary);
        });
    }
}
