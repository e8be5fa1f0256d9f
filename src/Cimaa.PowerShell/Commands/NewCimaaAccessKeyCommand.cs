using System.Management.Automation;
using Cimaa.AccessKeys;

namespace Cimaa.PowerShell.Commands;

/// <summary>
/// Creates access keys for the metrics server: a new id and secret, active, with the given permissions. The secret is in the
/// output this once. Every input is checked first (InvalidPermission stops the command with nothing written); granting every
/// domain (<c>*</c>) asks for confirmation unless -Force.
/// </summary>
[Cmdlet(VerbsCommon.New, "CimaaAccessKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("Cimaa.NewAccessKey")]
public sealed class NewCimaaAccessKeyCommand : CimaaCmdlet
{
    private readonly List<(string[] Permission, string? Description)> _inputs = [];

    /// <summary><c>&lt;domain&gt;:r</c>, <c>&lt;domain&gt;:w</c> or <c>&lt;domain&gt;:rw</c>; the domain may be <c>*</c>.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Permissions")]
    [ValidateNotNullOrEmpty]
    public string[] Permission { get; set; } = [];

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowNull]
    public string? Description { get; set; }

    /// <summary>Grants every domain (<c>*</c>) without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => _inputs.Add((Permission, Description));

    protected override void EndProcessing()
    {
        var service = ResolveConnection().Client.AccessKeys;
        var requests = new List<NewAccessKeyRequest>();
        try
        {
            foreach (var (permission, description) in _inputs) requests.Add(AccessKeyService.PrepareNew(permission, description));
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
        bool yesToAll = false, noToAll = false;
        var approved = new List<NewAccessKeyRequest>();
        foreach (var r in requests)
        {
            var what = $"an access key with the permissions {AccessKeyService.PermissionText(r.Permissions.ToStrings())}";
            if (!ShouldProcess(what, r.GrantsAnyDomain ? "Create (granting every domain)" : "Create")) continue;
            if (r.GrantsAnyDomain && !AnyDomainConfirmation.Confirm(this, Force, "The new key", ref yesToAll, ref noToAll)) continue;
            approved.Add(r);
        }
        if (approved.Count == 0) return;
        Run(async pump =>
        {
            foreach (var r in approved) pump.Emit(await service.CreateAsync(r, pump.Context));
        });
    }
}
