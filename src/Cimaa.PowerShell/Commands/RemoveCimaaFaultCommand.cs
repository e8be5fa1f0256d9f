using System.Management.Automation;
using Cimaa.Faults;
using Cimaa.PowerShell.Completers;

namespace Cimaa.PowerShell.Commands;

/// <summary>Deletes single faults of an agent.</summary>
[Cmdlet(VerbsCommon.Remove, "CimaaFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveCimaaFaultCommand : CimaaCmdlet
{
    private readonly List<(string Agent, string Name)> _targets = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AgentCompleter))]
    public string Agent { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var n in Name)
        {
            if (ShouldProcess($"fault '{n}' of agent '{Agent}'", "Remove")) _targets.Add((Agent, n));
        }
    }

    protected override void EndProcessing()
    {
        if (_targets.Count == 0) return;
        var service = ResolveConnection().Client.Faults;
        Run(async pump =>
        {
            foreach (var (agent, name) in _targets)
            {
                try
                {
                    await service.RemoveAsync(agent, name, pump.Context);
                }
                catch (CimaaException e) when (e.ErrorId == ErrorIds.FaultNotFound)
                {
                    pump.Error(e);
                }
            }
        });
    }
}
