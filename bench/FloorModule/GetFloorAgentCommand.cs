using System.Management.Automation;

namespace FloorModule;

/// <summary>
/// Emits -Count agent-shaped objects, one WriteObject each, as Get-CimaaStaleAgent does. The names are made once per count and
/// reused, so a run times the objects and the pipeline only.
/// </summary>
[Cmdlet(VerbsCommon.Get, "FloorAgent")]
[OutputType(typeof(FloorAgent))]
public sealed class GetFloorAgentCommand : PSCmdlet
{
    private static string[] _names = [];

    [Parameter(Mandatory = true, Position = 0)]
    public int Count { get; set; }

    protected override void EndProcessing()
    {
        var names = _names.Length == Count ? _names : _names = Enumerable.Range(0, Count).Select(i => $"agent{i:D5}").ToArray();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < names.Length; i++)
        {
            var seen = now.AddSeconds(-3600 - i);
            WriteObject(new FloorAgent { Agent = names[i], LastSeen = seen, Age = now - seen });
        }
    }
}
