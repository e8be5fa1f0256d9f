using System.Diagnostics;
using System.Management.Automation.Runspaces;
using Cimaa.Testing;

namespace Cimaa.Bench;

/// <summary>A new process that imports Cimaa, against one that imports an empty binary module.</summary>
public static class ImportBench
{
    /// <summary>The child process: import the module into a runspace and leave.</summary>
    public static int Child(string manifest)
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(manifest);
        using var runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
        return 0;
    }

    public static async Task<Result> RunAsync(int runs)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var empty = Path.Combine(RepoPaths.Root, "bench", "EmptyModule", "bin", configuration, "net8.0", "EmptyModule.psd1");
        // One untimed run each, so both find the files in the page cache.
        Spawn(RepoPaths.Module);
        Spawn(empty);
        var results = await Measure.FloorAsync(runs, () => Task.FromResult(Spawn(RepoPaths.Module)), () => Task.FromResult(Spawn(empty)), null);
        return Measure.FloorRow("Import (new process)", results, 1.3, "empty binary module", "", "a new process each");
    }

    private static double Spawn(string manifest)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(ImportBench).Assembly.Location);
        psi.ArgumentList.Add("--import");
        psi.ArgumentList.Add(manifest);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var seconds = sw.Elapsed.TotalSeconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"import of {manifest} failed: {err.Result}");
        return seconds;
    }
}
