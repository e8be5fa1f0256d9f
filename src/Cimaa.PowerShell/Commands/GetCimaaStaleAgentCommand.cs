using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>Lists agents whose heartbeat is older than -OlderThan, oldest first.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaStaleAgent")]
[OutputType("Cimaa.Agent")]
public sealed class GetCimaaStaleAgentCommand : CimaaCmdlet
{
    [Parameter(Position = 0)]
    [SecondsTransformation]
    public TimeSpan OlderThan { get; set; } = TimeSpan.FromSeconds(900);

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        Stream(op => connection.Client.Agents.GetStaleAsync(OlderThan, op));
    }
}
