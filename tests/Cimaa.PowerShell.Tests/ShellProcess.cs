using System.Diagnostics;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Runs the Cimaa.Shell host as its own process, as a scheduled task would.</summary>
public static class ShellProcess
{
    public static string ShellDll
    {
        get
        {
            // tests/Cimaa.PowerShell.Tests/bin/<Configuration>/net10.0/
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(RepoPaths.Root, "src", "Cimaa.Shell", "bin", configuration, "net10.0", "cimaa-shell.dll");
        }
    }

    public static (int ExitCode, string Output, string Error) Run(IEnumerable<string> args, IDictionary<string, string>? env = null,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        psi.ArgumentList.Add(ShellDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CIMAA_MODULE_PATH"] = RepoPaths.Module;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("cimaa-shell did not exit in 60 s: " + string.Join(' ', args));
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
