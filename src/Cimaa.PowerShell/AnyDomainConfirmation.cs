using System.Management.Automation;
using System.Management.Automation.Host;

namespace Cimaa.PowerShell;

/// <summary>
/// The extra confirmation before a key is granted every domain (<c>*</c>), with the confirm impact of High for that case
/// alone (the access-key cmdlets are Medium otherwise). It runs after ShouldProcess, so -WhatIf has already stopped the
/// command and -Confirm has already asked. It does not ask when -Force or -Confirm (either way) is given, or when
/// $ConfirmPreference is None; a host that cannot ask stops the command with ConfirmationRequired instead of hanging.
/// </summary>
internal static class AnyDomainConfirmation
{
    public const string ErrorId = "ConfirmationRequired";

    public static bool Confirm(PSCmdlet cmdlet, bool force, string what, ref bool yesToAll, ref bool noToAll)
    {
        if (force || cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
        if (string.Equals(cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference")?.ToString(), "None", StringComparison.OrdinalIgnoreCase))
            return true;
        try
        {
            return cmdlet.ShouldContinue($"{what} grants access to every domain ('*'). Continue?", "Grant every domain", ref yesToAll, ref noToAll);
        }
        catch (Exception e) when (e is PSInvalidOperationException or HostException or NotImplementedException or PSNotImplementedException)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"{what} grants access to every domain ('*'), which needs confirmation, and this host cannot ask: add -Force (or -Confirm:$false) to grant it.", e),
                ErrorId, ErrorCategory.PermissionDenied, null));
            return false;
        }
    }
}
