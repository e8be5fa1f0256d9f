using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Cimaa.Testing;

namespace Cimaa.Bench;

/// <summary>
/// A runspace with out/Cimaa imported, for timing cmdlets as a user runs them, and the floor module beside it, so that
/// PowerShell's own cost is measured in the same runspace.
/// </summary>
public sealed class BenchHost : IDisposable
{
    private readonly Runspace _runspace;

    /// <summary>bench/FloorModule's manifest, built next to this harness in the same configuration.</summary>
    public static string FloorModule { get; } = Path.Combine(RepoPaths.Root, "bench", "FloorModule", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net8.0", "FloorModule.psd1");

    public BenchHost()
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(RepoPaths.Module);
        iss.ImportPSModule(FloorModule);
        _runspace = RunspaceFactory.CreateRunspace(iss);
        // One pipeline thread for every command, as in an interactive pwsh, rather than a new thread per command.
        _runspace.ThreadOptions = PSThreadOptions.ReuseThread;
        _runspace.Open();
    }

    public List<PSObject> Run(string script, IDictionary? vars = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        var prelude = vars is null ? "" : "param(" + string.Join(", ", vars.Keys.Cast<string>().Select(k => "$" + k)) + ")\n";
        ps.AddScript(prelude + script);
        if (vars is not null) foreach (DictionaryEntry v in vars) ps.AddParameter((string)v.Key, v.Value);
        var output = ps.Invoke().ToList();
        if (ps.HadErrors)
        {
            throw new InvalidOperationException("benchmark script failed: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        }
        return output;
    }

    public double Time(string script, IDictionary? vars = null) => Measure.Seconds(() => Run(script, vars));

    public void Dispose() => _runspace.Dispose();
}
