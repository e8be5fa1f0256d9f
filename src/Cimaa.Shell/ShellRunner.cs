using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Cimaa.Shell;

/// <summary>Runs PowerShell text with the Cimaa module imported and renders the output through Out-Default.</summary>
public sealed class ShellRunner : IDisposable
{
    private readonly CimaaHost _host;
    private readonly Runspace _runspace;
    private readonly TextWriter _error;

    public ShellRunner(TextWriter output, TextWriter error, string? modulePath = null, bool interactive = false, int width = 120,
        bool plainText = true)
    {
        _error = error;
        _host = new CimaaHost(output, error, width, interactive, plainText);
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(modulePath ?? FindModule());
        _runspace = RunspaceFactory.CreateRunspace(_host, iss);
        _runspace.Open();
        if (plainText)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript("$PSStyle.OutputRendering = 'PlainText'").Invoke();
        }
    }

    /// <summary>The module manifest: $env:CIMAA_MODULE_PATH, a Cimaa folder beside the shell, or out/Cimaa above it.</summary>
    public static string FindModule()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CIMAA_MODULE_PATH");
        if (!string.IsNullOrEmpty(fromEnv)) return Path.GetFullPath(fromEnv);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "Cimaa", "Cimaa.psd1"), Path.Combine(dir.FullName, "out", "Cimaa", "Cimaa.psd1") })
            {
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException("The Cimaa module was not found; build it with ./build.sh, or set CIMAA_MODULE_PATH.");
    }

    /// <summary>Runs a script. Returns the exit code: the script's exit N, else 1 after a terminating error, else 0.</summary>
    public int RunScript(string script, IEnumerable<object>? args = null, bool isFile = false)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        if (isFile)
        {
            ps.AddCommand(script);
            foreach (var a in args ?? []) ps.AddArgument(a);
        }
        else
        {
            ps.AddScript(script);
        }
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        try
        {
            ps.Invoke();
        }
        catch (RuntimeException e)
        {
            if (_host.ExitCode is { } code) return code;
            _error.WriteLine(e.ErrorRecord?.ToString() ?? e.Message);
            return 1;
        }
        if (_host.ExitCode is { } exit) return exit;
        if (isFile && _runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int last) return last;
        return ps.HadErrors ? 1 : 0;
    }

    public void Dispose() => _runspace.Dispose();
}
