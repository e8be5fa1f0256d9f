using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>Lists agents from their heartbeats, sorted by name.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaAgent")]
[OutputType("Cimaa.Agent")]
public sealed class GetCimaaAgentCommand : AgentFilterCmdlet
{
    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        Stream(op => connection.Client.Agents.GetAsync(AgentPatterns, op));
    }
}
