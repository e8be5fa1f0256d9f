using System.Management.Automation;
using Cimaa.Report;

namespace Cimaa.PowerShell.Commands;

/// <summary>
/// Writes the status page (the metrics server's GET /) to a self-contained HTML file, through a temporary file renamed at
/// the end. Emits the file as a FileInfo, as Get-Item gives it.
/// </summary>
[Cmdlet(VerbsData.Export, "CimaaReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportCimaaReportCommand : CimaaCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Metrics to draw as sparklines over the last hour: <c>name</c> or <c>name{tag=value,..}</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Metric { get; set; }

    /// <summary>Agents whose heartbeat is older than this are listed as stale. A plain number means seconds.</summary>
    [Parameter]
    [SecondsTransformation]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(900);

    protected override void EndProcessing()
    {
        var path = FileSystemPath.Resolve(this, Path);
        ReportRequest request = null!;
        try
        {
            request = new ReportRequest(StaleAfter, [.. (Metric ?? []).Select(ReportMetric.Parse)]).Checked();
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
        var connection = ResolveConnection();
        if (!ShouldProcess(path, "Write the status report")) return;
        string? written = null;
        Run(async pump => written = await connection.Client.Report.ExportAsync(request, path, pump.Context));
        // Through the FileSystem provider, as Get-Item gives it: the FileInfo with PSPath and PSParentPath, so it formats as files do.
        if (written is not null) WriteObject(InvokeProvider.Item.Get([written], force: true, literalPath: true), enumerateCollection: true);
    }
}
