using System.Management.Automation;
using Cimaa.Faults;
using Cimaa.PowerShell.Completers;

namespace Cimaa.PowerShell.Commands;

/// <summary>Gets current faults, sorted by agent then name. Heartbeat rows are never emitted.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaFault")]
[OutputType("Cimaa.Fault")]
public sealed class GetCimaaFaultCommand : CimaaCmdlet
{
    private readonly List<string> _agents = [];

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AgentCompleter))]
    public string[]? Agent { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    [SeverityTransformation]
    public int? MinimumSeverity { get; set; }

    [Parameter]
    public SwitchParameter Unsquelched { get; set; }

    protected override void ProcessRecord()
    {
        if (Agent is not null) _agents.AddRange(Agent);
    }

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        var query = new FaultQuery(_agents.Count > 0 ? _agents : null, Name, MinimumSeverity, Unsquelched);
        Stream(op => new FaultService(connection.Store).GetAsync(query, op));
    }
}
