using System.Management.Automation;
using Cimaa.PowerShell.Completers;
using Cimaa.Squelches;

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
        var service = ResolveConnection().Client.Squelches;
        var targets = _patterns;
        if (Expired)
        {
            Run(async pump => targets = (await service.GetAllAsync(pump.Context)).Where(s => s.IsExpired).Select(s => s.Pattern).ToList());
        }
        var approved = targets.Where(p => ShouldProcess($"squelch '{p}'", "Remove")).ToList();
        if (approved.Count == 0) return;
        Run(async pump =>
        {
            foreach (var pattern in approved)
            {
                try
                {
                    await service.RemoveAsync(pattern, pump.Context);
                }
                catch (CimaaException e) when (e.ErrorId == ErrorIds.SquelchNotFound)
                {
                    pump.Error(e);
                }
            }
        });
    }
}
