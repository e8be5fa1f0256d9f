using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>What one script invocation produced, stream by stream.</summary>
public sealed record PsResult(
    Collection<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<ProgressRecord> Progress,
    RuntimeException? Terminating)
{
    /// <summary>The ErrorIds of every error record, the terminating one included (without the ",Command" suffix).</summary>
    public IReadOnlyList<string> ErrorIds =>
        Errors.Concat(Terminating is null ? [] : [Terminating.ErrorRecord]).Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToList();

    /// <summary>The single error, terminating or not.</summary>
    public ErrorRecord SingleError => Assert.Single(Errors.Concat(Terminating is null ? [] : [Terminating.ErrorRecord]));

    /// <summary>Every text the invocation produced in any stream, for secret scans.</summary>
    public string AllText => string.Join("\n", Output.Select(o => o?.ToString()).Concat(Errors.Select(e => e + " " + e.Exception))
        .Concat(Warnings).Concat(Verbose).Concat(Debug).Concat(Progress.Select(p => p.Activity + " " + p.StatusDescription))
        .Concat([Terminating?.ToString()]));

    public PsResult ThrowIfFailed()
    {
        if (Terminating is not null) throw new Xunit.Sdk.XunitException("terminating error: " + Terminating.ErrorRecord);
        if (Errors.Count > 0) throw new Xunit.Sdk.XunitException("errors: " + string.Join("; ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return this;
    }
}

/// <summary>
/// Runs scripts in a shared runspace pool whose InitialSessionState imports out/Cimaa/Cimaa.psd1.
/// Before anything imports the module, an older AWSSDK.Core is loaded into the default context, as AWS.Tools would.
/// </summary>
public static class Ps
{
    private static readonly Lazy<RunspacePool> Pool = new(CreatePool);

    public static Assembly? PreloadedOldSdk { get; private set; }

    /// <summary>The session state every test runspace starts from: the engine's defaults plus Cimaa.</summary>
    public static InitialSessionState SessionState()
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(RepoPaths.Module);
        return iss;
    }

    private static RunspacePool CreatePool()
    {
        var old = Path.Combine(AppContext.BaseDirectory, "oldsdk", "AWSSDK.Core.dll");
        if (File.Exists(old)) PreloadedOldSdk = Assembly.LoadFrom(old);
        var pool = RunspaceFactory.CreateRunspacePool(1, Environment.ProcessorCount * 2, SessionState(),
            new TestHost(TextWriter.Null, TextWriter.Null));
        pool.Open();
        return pool;
    }

    /// <summary>Runs a script with named variables set first; terminating errors are captured, not thrown.</summary>
    public static PsResult Run(string script, IDictionary? variables = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.RunspacePool = Pool.Value;
        return Invoke(ps, script, variables);
    }

    /// <summary>Runs a script in a new runspace whose host writes to <paramref name="output"/> (for Out-Default and What if: text).</summary>
    public static PsResult RunWithHost(string script, TextWriter output, IDictionary? variables = null)
    {
        using var runspace = RunspaceFactory.CreateRunspace(new TestHost(output, output), SessionState());
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("$PSStyle.OutputRendering = 'PlainText'").Invoke();
        ps.Commands.Clear();
        return Invoke(ps, script, variables);
    }

    internal static PsResult Invoke(System.Management.Automation.PowerShell ps, string script, IDictionary? variables)
    {
        var prelude = variables is null ? "" : "param(" + string.Join(", ", variables.Keys.Cast<string>().Select(k => "$" + k)) + ")\n";
        // A local scope: preferences and variables a test sets do not leak into the next test that gets this pooled runspace.
        ps.AddScript(prelude + script, useLocalScope: true);
        if (variables is not null)
        {
            foreach (DictionaryEntry v in variables) ps.AddParameter((string)v.Key, v.Value);
        }
        Collection<PSObject> output = new();
        RuntimeException? terminating = null;
        var invoke = Task.Run(() =>
        {
            try { output = ps.Invoke(); }
            catch (RuntimeException e) { terminating = e; }
        });
        if (!invoke.Wait(TimeSpan.FromMinutes(2)))
        {
            ps.Stop();
            throw new TimeoutException("The script did not finish in 2 minutes: " + script);
        }
        return new PsResult(output, ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(), ps.Streams.Debug.Select(d => d.Message).ToList(),
            ps.Streams.Progress.ToList(), terminating);
    }
}
