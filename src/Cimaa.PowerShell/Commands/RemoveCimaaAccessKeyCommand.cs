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
        RemoveEach(_ids.Distinct(StringComparer.Ordinal).ToList(), id => $"access key '{id}'", "Remove",
            (client, id, op) => client.AccessKeys.RemoveAsync(id, op), AccessKeyErrorIds.AccessKeyNotFound);
    }
}
