using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>Deletes configuration options.</summary>
[Cmdlet(VerbsCommon.Remove, "CimaaConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveCimaaConfigCommand : CimaaCmdlet
{
    private readonly List<(string Store, string Option)> _pending = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(Completers.ConfigStoreCompleter))]
    public string Store { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(Completers.ConfigOptionCompleter))]
    public string[] Option { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var option in Option)
        {
            if (string.IsNullOrEmpty(Store) || string.IsNullOrEmpty(option))
            {
                ThrowTerminatingError(InvalidArgument(ErrorIds.InvalidConfigValue,
                    $"The store and option names must not be empty (store '{Store}', option '{option}').", string.IsNullOrEmpty(Store) ? Store : option));
            }
            if (!_pending.Contains((Store, option))) _pending.Add((Store, option));
        }
    }

    protected override void EndProcessing() =>
        RemoveEach(_pending, p => $"{p.Store}/{p.Option}", "Remove the configuration option",
            (client, p, op) => client.Config.RemoveAsync(p.Store, p.Option, op), ErrorIds.ConfigOptionNotFound);
}
