using System.Diagnostics;
using System.Management.Automation.Runspaces;
using Cimaa.Testing;
using Microsoft.Data.Sqlite;

namespace Cimaa.Bench;

/// <summary>Get-CimaaFault over 100,000 faults piped to Out-Null, in a fresh process: the peak growth of the managed heap and of the working set.</summary>
public static class MemoryBench
{
    public static Result Run(string folder, int agents, int faultsPerAgent)
    {
        var path = Path.Combine(folder, "memory.db");
        using (var host = new BenchHost()) host.Run("Connect-Cimaa -Path $p; Initialize-CimaaTable | Out-Null", new Dictionary<string, object> { ["p"] = path });
        Seed(path, agents, faultsPerAgent);
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(MemoryBench).Assembly.Location);
        psi.ArgumentList.Add("--memory");
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("memory child failed: " + error);
        var parts = output.Trim().Split(' ');
        var heapMb = double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var wsMb = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var seconds = double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        return new Result($"Memory: Get-CimaaFault over {agents * faultsPerAgent:N0} faults piped to Out-Null (SQLite)",
            $"heap +{heapMb:0.0} MB, working set +{wsMb:0.0} MB", $"{seconds:0.00} s", wsMb, "< 50 MB", wsMb < 50 && heapMb < 50,
            "figure: peak working-set growth over the imported, connected process");
    }

    /// <summary>The child: imports, connects, then samples memory while the pipeline runs. Prints "heapMB wsMB seconds".</summary>
    public static int Child(string path)
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(RepoPaths.Module);
        using var runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
        using (var ps = System.Management.Automation.PowerShell.Create())
        {
            ps.Runspace = runspace;
            ps.AddScript("Connect-Cimaa -Path $args[0]; Get-CimaaFault -Agent agent00000 | Out-Null").AddArgument(path).Invoke();
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var me = Process.GetCurrentProcess();
        me.Refresh();
        long heap0 = GC.GetTotalMemory(false), ws0 = me.WorkingSet64, heapPeak = heap0, wsPeak = ws0;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            while (!done.IsSet)
            {
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
                me.Refresh();
                wsPeak = Math.Max(wsPeak, me.WorkingSet64);
                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        sampler.Start();
        var sw = Stopwatch.StartNew();
        using (var ps = System.Management.Automation.PowerShell.Create())
        {
            ps.Runspace = runspace;
            ps.AddScript("Get-CimaaFault | Out-Null").Invoke();
            if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
        }
        var seconds = sw.Elapsed.TotalSeconds;
        done.Set();
        sampler.Join();
        Console.WriteLine(FormattableString.Invariant($"{(heapPeak - heap0) / 1048576.0:0.0} {(wsPeak - ws0) / 1048576.0:0.0} {seconds:0.00}"));
        return 0;
    }

    private static void Seed(string path, int agents, int faultsPerAgent)
    {
        using var conn = new SqliteConnection($"Data Source={path};Pooling=False");
        conn.Open();
        using var tx = conn.BeginTransaction();
        using var put = conn.CreateCommand();
        put.Transaction = tx;
        put.CommandText = "INSERT INTO faults (agent, name, severity, message, since, updated, triggered) VALUES ($a, $n, 40, $m, 1700000000, 1700000000, 0)";
        var a = put.Parameters.Add("$a", SqliteType.Text);
        var n = put.Parameters.Add("$n", SqliteType.Text);
        put.Parameters.AddWithValue("$m", new string('x', 80));
        using var beat = conn.CreateCommand();
        beat.Transaction = tx;
        beat.CommandText = "INSERT INTO heartbeats (agent, updated) VALUES ($a, 1700000000)";
        var ba = beat.Parameters.Add("$a", SqliteType.Text);
        for (var i = 0; i < agents; i++)
        {
            a.Value = ba.Value = $"agent{i:D5}";
            beat.ExecuteNonQuery();
            for (var j = 0; j < faultsPerAgent; j++)
            {
                n.Value = $"check{j:D2}";
                put.ExecuteNonQuery();
            }
        }
        tx.Commit();
    }
}
