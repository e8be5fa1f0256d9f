using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>Lists the metric names of a domain, sorted.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaMetricName")]
[OutputType(typeof(string))]
public sealed class GetCimaaMetricNameCommand : CimaaCmdlet
{
    protected override bool WorksOnServer => true;

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Domain { get; set; } = "default";

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        Stream(op => connection.Client.Metrics.GetNamesAsync(Domain, op));
    }
}
