using System.Management.Automation;
using Cimaa.AccessKeys;

namespace Cimaa.PowerShell.Commands;

/// <summary>
/// Changes access keys: -Permission replaces the permissions, then -AddPermission and -RemovePermission apply; -Disable and
/// -Enable set the state; -Description replaces the description ('' clears it). Every change is checked before anything is
/// written (InvalidPermission); a missing key is the non-terminating AccessKeyNotFound. Granting every domain (<c>*</c>)
/// asks for confirmation unless -Force.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CimaaAccessKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = KeepSet)]
[OutputType("Cimaa.AccessKey")]
public sealed class SetCimaaAccessKeyCommand : CimaaCmdlet
{
    private const string KeepSet = "Keep";
    private readonly List<string> _ids = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string AccessKeyId { get; set; } = "";

    /// <summary>Replaces every permission; an empty array leaves the key with none.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Permission { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AddPermission { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RemovePermission { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Disable")]
    public SwitchParameter Disable { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Enable")]
    public SwitchParameter Enable { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? Description { get; set; }

    /// <summary>Grants every domain (<c>*</c>) without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => _ids.Add(AccessKeyId);

    protected override void EndProcessing()
    {
        var service = ResolveConnection().Client.AccessKeys;
        AccessKeyUpdate update = null!;
        try
        {
            update = AccessKeyService.PrepareChange(new AccessKeyChange(Permission, AddPermission, RemovePermission,
                Disable ? AccessKeyState.Inactive : Enable ? AccessKeyState.Active : null, Description));
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
        bool yesToAll = false, noToAll = false;
        var approved = new List<string>();
        foreach (var id in _ids.Distinct(StringComparer.Ordinal))
        {
            if (!ShouldProcess($"access key '{id}'", Describe(update))) continue;
            if (update.GrantsAnyDomain && !AnyDomainConfirmation.Confirm(this, Force, $"The change of key '{id}'", ref yesToAll, ref noToAll)) continue;
            approved.Add(id);
        }
        if (approved.Count == 0) return;
        Run(async pump =>
        {
            foreach (var id in approved)
            {
                try
                {
                    var key = await service.SetAsync(id, update, pump.Context);
                    if (PassThru) pump.Emit(key);
                }
                catch (CimaaException e) when (e.ErrorId == AccessKeyErrorIds.AccessKeyNotFound)
                {
                    pump.Error(e);
                }
            }
        });
    }

    private static string Describe(AccessKeyUpdate u)
    {
        var parts = new List<string>();
        if (u.Replace is not null) parts.Add($"set the permissions to {AccessKeyService.PermissionText(u.Replace.ToStrings())}");
        if (u.Add is not null) parts.Add($"add {AccessKeyService.PermissionText(u.Add.ToStrings())}");
        if (u.Remove is not null) parts.Add($"remove {AccessKeyService.PermissionText(u.Remove.ToStrings())}");
        if (u.State is { } s) parts.Add(s == AccessKeyState.Active ? "enable" : "disable");
        if (u.Description is not null) parts.Add(u.Description.Length == 0 ? "clear the description" : "set the description");
        return parts.Count == 0 ? "Set (no change)" : "Set: " + string.Join(", ", parts);
    }
}
