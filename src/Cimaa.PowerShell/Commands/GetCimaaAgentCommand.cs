using System.Management.Automation;
using Cimaa.Agents;
using Cimaa.PowerShell.Completers;

namespace Cimaa.PowerShell.Commands;

/// <summary>Lists agents from their heartbeats, sorted by name.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaAgent")]
[OutputType("Cimaa.Agent")]
public sealed class GetCimaaAgentCommand : CimaaCmdlet
{
    private readonly List<string> _agents = [];

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AgentCompleter))]
    public string[]? Agent { get; set; }

    protected override void ProcessRecord()
    {
        if (Agent is not null) _agents.AddRange(Agent);
    }

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        Stream(op => new AgentService(connection.Store).GetAsync(_agents.Count > 0 ? _agents : null, op),
            a => WithTypeName(a, AgentStatus.TypeName));
    }
}
