using System.Management.Automation;
using Cimaa.Agents;
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

    protected override void ProcessRecord()
    {
        foreach (var a in Agent)
        {
            if (ShouldProcess($"agent '{a}'", "Remove the heartbeat and all faults")) _agents.Add(a);
        }
    }

    protected override void EndProcessing()
    {
        if (_agents.Count == 0) return;
        var service = ResolveConnection().Client.Agents;
        Run(async pump =>
        {
            foreach (var agent in _agents)
            {
                try
                {
                    await service.RemoveAsync(agent, pump.Context);
                }
                catch (CimaaException e) when (e.ErrorId is ErrorIds.AgentNotFound or ErrorIds.InvalidAgent)
                {
                    pump.Error(e);
                }
            }
        });
    }
}
