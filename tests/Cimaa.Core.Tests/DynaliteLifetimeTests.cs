using System.Diagnostics;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>
/// The test harness leaves no dynalite behind: not when a server is disposed, and not when the process that started it is
/// killed outright, which is how the test runner ends a test host after a run, on cancel and on a hang.
/// </summary>
public class DynaliteLifetimeTests
{
    /// <summary>True while the process exists and is not a zombie (an orphan's zombie lingers until init reaps it).</summary>
    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
            }
            catch (IOException)
            {
                return false;
            }
        }
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Waits (bounded) for the process to end; true when it did.</summary>
    private static bool Ended(int pid, TimeSpan within)
    {
        var sw = Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            if (sw.Elapsed > within) return false;
            Thread.Sleep(50);
        }
        return true;
    }

    private static void KillByPid(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill();
            p.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    [Fact]
    public void Dispose_stops_the_server_by_its_pid()
    {
        var server = DynaliteServer.Start();
        var pid = server.Pid;
        try
        {
            Assert.True(IsAlive(pid));
            server.Dispose();
            server.Dispose();
            Assert.True(Ended(pid, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            KillByPid(pid);
        }
    }

    [Fact]
    public async Task A_server_whose_starting_process_is_killed_stops_by_itself()
    {
        // A separate .NET process (pwsh) starts dynalite through this harness and is then killed with SIGKILL, so that no
        // exit handler of it runs: exactly what happens to a test host that the runner kills.
        var harness = typeof(DynaliteServer).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root, // where .config/dotnet-tools.json pins pwsh
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", """
            $t = [System.Reflection.Assembly]::LoadFrom($env:CIMAA_TEST_HARNESS).GetType('Cimaa.Testing.DynaliteServer')
            $server = $t.GetMethod('Start').Invoke($null, @($null, $null))
            "pid=$($server.Pid) host=$PID"
            [Console]::Out.Flush()
            Start-Sleep -Seconds 120
            """ })
            psi.ArgumentList.Add(a);
        psi.Environment["CIMAA_TEST_HARNESS"] = harness;
        // `dotnet pwsh` runs pwsh as a child of the dotnet CLI; the script reports pwsh's own pid, which is the one killed.
        using var cli = Process.Start(psi)!;
        var stderr = cli.StandardError.ReadToEndAsync();
        int dynalite = 0, pwsh = 0;
        try
        {
            var line = await cli.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
            var match = System.Text.RegularExpressions.Regex.Match(line ?? "", @"^pid=(\d+) host=(\d+)$");
            Assert.True(match.Success, $"unexpected output '{line}'; stderr: {(cli.HasExited ? await stderr : "")}");
            (dynalite, pwsh) = (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(IsAlive(dynalite));

            using (var host = Process.GetProcessById(pwsh)) host.Kill(entireProcessTree: false); // SIGKILL to pwsh alone
            Assert.True(Ended(pwsh, TimeSpan.FromSeconds(10)), "pwsh did not die");
            Assert.True(Ended(dynalite, TimeSpan.FromSeconds(10)), $"dynalite (pid {dynalite}) outlived the process that started it");
        }
        finally
        {
            if (pwsh != 0) KillByPid(pwsh);
            if (!cli.HasExited) cli.Kill(entireProcessTree: true);
            if (dynalite != 0) KillByPid(dynalite);
        }
    }
}
