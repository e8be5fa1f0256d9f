using System.Management.Automation;
using Cimaa.PowerShell.Completers;

namespace Cimaa.PowerShell.Commands;

/// <summary>Deletes agents: each one's heartbeat and all of its faults. No other agent is touched.</summary>
[Cmdlet(VerbsCommon.Remove, "CimaaAgent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveCimaaAgentCommand : CimaaCmdlet
{
    private readonly List<string> _agents = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AgentCompleter))]
    public string[] Agent { get; set; } = [];

    protected override void ProcessRecord() => _agents.AddRange(Agent);

    protected override void EndProcessing() =>
        RemoveEach(_agents, a => $"agent '{a}'", "Remove the heartbeat and all faults",
            (client, agent, op) => client.Agents.RemoveAsync(agent, op), ErrorIds.AgentNotFound, ErrorIds.InvalidAgent);
}
