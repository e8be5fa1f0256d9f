using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>
/// Lists access keys sorted by id: all, exact ids, or (case-sensitive) wildcards. The output never holds a secret. An exact
/// id with no key is the non-terminating AccessKeyNotFound.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CimaaAccessKey")]
[OutputType("Cimaa.AccessKey")]
public sealed class GetCimaaAccessKeyCommand : CimaaCmdlet
{
    private readonly List<string> _ids = [];

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? AccessKeyId { get; set; }

    protected override void ProcessRecord()
    {
        if (AccessKeyId is not null) _ids.AddRange(AccessKeyId);
    }

    protected override void EndProcessing()
    {
        var service = ResolveConnection().Client.AccessKeys;
        Run(async pump =>
        {
            await foreach (var key in service.GetAsync(_ids, pump.Error, pump.Context)) pump.Emit(key);
        });
    }
}
