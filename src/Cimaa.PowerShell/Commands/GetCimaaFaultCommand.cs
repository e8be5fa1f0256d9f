using System.Management.Automation;
using Cimaa.Faults;

namespace Cimaa.PowerShell.Commands;

/// <summary>Gets current faults, sorted by agent then name. Heartbeat rows are never emitted.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaFault")]
[OutputType("Cimaa.Fault")]
public sealed class GetCimaaFaultCommand : AgentFilterCmdlet
{
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    [SeverityTransformation]
    public int? MinimumSeverity { get; set; }

    [Parameter]
    public SwitchParameter Unsquelched { get; set; }

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        var query = new FaultQuery(AgentPatterns, Name, MinimumSeverity, Unsquelched);
        Stream(op => connection.Client.Faults.GetAsync(query, op));
    }
}
