using System.Diagnostics;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// Runs real pwsh (the .NET tool pinned in .config/dotnet-tools.json) as its own process, for what the hosted engine lacks
/// (ConvertTo-Json, Out-String, Start-Job). Output is plain text; the process is killed by its id if it outlives the limit.
/// </summary>
public static class PwshProcess
{
    public static (int ExitCode, string Output, string Error) Run(string script, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", "$PSStyle.OutputRendering = 'PlainText'\n" + script })
            psi.ArgumentList.Add(a);
        psi.Environment["CIMAA_TEST_MODULE"] = RepoPaths.Module;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(90_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("pwsh did not exit in 90 s: " + script);
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
