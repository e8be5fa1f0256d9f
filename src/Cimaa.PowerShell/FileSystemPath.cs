using System.Management.Automation;

namespace Cimaa.PowerShell;

/// <summary>Resolves a -Path to a file system path (relative to the current location); another provider is a terminating error.</summary>
internal static class FileSystemPath
{
    public static string Resolve(PSCmdlet cmdlet, string path)
    {
        string resolved;
        ProviderInfo provider;
        try
        {
            resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (Exception e) when (e is SessionStateException or NotSupportedException or ArgumentException or PSInvalidOperationException)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(e, "ExportFileError", ErrorCategory.InvalidArgument, path));
            throw;
        }
        if (provider.Name != "FileSystem")
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{path}' is not a file system path (provider {provider.Name})."),
                "ExportFileError", ErrorCategory.InvalidArgument, path));
        }
        return resolved;
    }
}
