using System.Management.Automation;
using Cimaa.PowerShell.Completers;

namespace Cimaa.PowerShell.Commands;

/// <summary>Deletes squelches by exact pattern, or every expired squelch with -Expired.</summary>
[Cmdlet(VerbsCommon.Remove, "CimaaSquelch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Pattern")]
public sealed class RemoveCimaaSquelchCommand : CimaaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "Pattern")]
    [Alias("Regex")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SquelchPatternCompleter))]
    public string[] Pattern { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Expired")]
    public SwitchParameter Expired { get; set; }

    private readonly List<string> _patterns = [];

    protected override void ProcessRecord() => _patterns.AddRange(Pattern);

    protected override void EndProcessing()
    {
        var targets = _patterns;
        if (Expired)
        {
            var connection = ResolveConnection();
            Run(async pump => targets = (await connection.Client.Squelches.GetAllAsync(pump.Context)).Where(s => s.IsExpired).Select(s => s.Pattern).ToList());
        }
        RemoveEach(targets, p => $"squelch '{p}'", "Remove", (client, p, op) => client.Squelches.RemoveAsync(p, op), ErrorIds.SquelchNotFound);
    }
}
