using System.Diagnostics;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// Runs real pwsh (the repository's .NET tool, `dotnet pwsh`) as its own process, as a scheduled task would. out/ is put first
/// on PSModulePath, so `Import-Module Cimaa` finds the built module by name. The process is stopped, with its children, if it
/// does not exit in time.
/// </summary>
public static class PwshProcess
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs a -Command script with plain-text rendering; CIMAA_TEST_MODULE names the built module's manifest.</summary>
    public static (int ExitCode, string Output, string Error) Run(string script, IDictionary<string, string>? env = null)
    {
        var all = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["CIMAA_TEST_MODULE"] = RepoPaths.Module };
        return Run(["-Command", "$PSStyle.OutputRendering = 'PlainText'\n" + script], all);
    }

    public static (int ExitCode, string Output, string Error) Run(IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        // `dotnet pwsh` finds .config/dotnet-tools.json from the working directory up, so it starts at the repository root.
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive" }.Concat(args)) psi.ArgumentList.Add(a);
        var modules = Path.Combine(RepoPaths.Root, "out");
        psi.Environment["PSModulePath"] = modules + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath");
        // Plain text in redirected output, whatever TERM says.
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pwsh (process {process.Id}) did not exit in {Timeout.TotalSeconds} s: " + string.Join(' ', args));
        }
        process.WaitForExit();
        var error = stderr.Result;
        if (process.ExitCode != 0 && error.Contains("dotnet-pwsh does not exist", StringComparison.Ordinal))
            throw new InvalidOperationException("pwsh is not restored: run 'dotnet tool restore' at the repository root.\n" + error);
        return (process.ExitCode, stdout.Result, error);
    }
}
