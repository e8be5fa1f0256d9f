using System.Management.Automation;
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
        foreach (var n in Name) _targets.Add((Agent, n));
    }

    protected override void EndProcessing() =>
        RemoveEach(_targets, t => $"fault '{t.Name}' of agent '{t.Agent}'", "Remove",
            (client, t, op) => client.Faults.RemoveAsync(t.Agent, t.Name, op), ErrorIds.FaultNotFound);
}
