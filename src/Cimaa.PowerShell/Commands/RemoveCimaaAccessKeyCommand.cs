using System.Management.Automation;
using Cimaa.AccessKeys;

namespace Cimaa.PowerShell.Commands;

/// <summary>Deletes access keys by exact id. A missing key is the non-terminating AccessKeyNotFound.</summary>
[Cmdlet(VerbsCommon.Remove, "CimaaAccessKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveCimaaAccessKeyCommand : CimaaCmdlet
{
    private readonly List<string> _ids = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] AccessKeyId { get; set; } = [];

    protected override void ProcessRecord() => _ids.AddRange(AccessKeyId);

    protected override void EndProcessing()
    {
        var service = (AccessKeyService)AccessKeyCmdlets.Service(ResolveConnection());
        var approved = _ids.Distinct(StringComparer.Ordinal).Where(id => ShouldProcess($"access key '{id}'", "Remove")).ToList();
        if (approved.Count == 0) return;
        Run(async pump =>
        {
            foreach (var id in approved)
            {
                try
                {
                    await service.RemoveAsync(id, pump.Context);
                }
                catch (CimaaException e) when (e.ErrorId == AccessKeyErrorIds.AccessKeyNotFound)
                {
                    pump.Error(e);
                }
            }
        });
    }
}
