using System.Management.Automation;
using Cimaa.Export;

namespace Cimaa.PowerShell.Commands;

/// <summary>
/// Validates a whole export file, then writes its tables into the connection in batches: Merge puts records over what is
/// stored, Replace clears each imported table first. Nothing is written for a bad file. Emits one summary per table.
/// </summary>
/// <remarks>
/// ConfirmImpact is Medium, as for every write; Replace deletes, so it also asks as a High-impact change would: once, unless
/// -Confirm was given (then each table was asked already), -Confirm:$false, or $ConfirmPreference is None.
/// </remarks>
[Cmdlet(VerbsData.Import, "CimaaDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("Cimaa.ImportSummary")]
public sealed class ImportCimaaDatabaseCommand : CimaaCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>faults (with the heartbeats), squelches, config, metrics; every table of the file when omitted.</summary>
    [Parameter]
    [ValidateSet("faults", "squelches", "config", "metrics", IgnoreCase = true)]
    public string[]? Include { get; set; }

    [Parameter]
    [ValidateSet("Merge", "Replace", IgnoreCase = true)]
    public string Mode { get; set; } = "Merge";

    protected override void EndProcessing()
    {
        var path = FileSystemPath.Resolve(this, Path);
        var mode = Enum.Parse<ImportMode>(Mode, ignoreCase: true);
        var service = ResolveConnection().Client.Import;
        ImportPlan? plan = null;
        Run(pump =>
        {
            plan = service.Plan(path, Include, mode, pump.Context);
            return Task.CompletedTask;
        });
        using (plan)
        {
            var file = System.IO.Path.GetFileName(path);
            var approved = plan!.Include.Where(include => ShouldProcess(include, mode == ImportMode.Replace
                ? $"Replace with {plan.Describe(include)} from {file}"
                : $"Import {plan.Describe(include)} from {file}")).ToList();
            if (approved.Count == 0) return;
            if (mode == ImportMode.Replace && !ConfirmReplace(approved)) return;
            Run(async pump =>
            {
                foreach (var summary in await service.ImportAsync(plan, approved, pump.Context)) pump.Emit(summary);
            });
        }
    }

    private bool ConfirmReplace(IReadOnlyList<string> tables)
    {
        if (MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
        var preference = SessionState.PSVariable.GetValue("ConfirmPreference");
        if (Enum.TryParse<ConfirmImpact>(preference?.ToString(), ignoreCase: true, out var p) && p <= ConfirmImpact.Medium) return true;
        return ShouldContinue($"Replace deletes every record of {string.Join(", ", tables)} that is not in the file. Continue?", "Import-CimaaDatabase -Mode Replace");
    }
}
