using System.Management.Automation.Runspaces;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

public class ConcurrencyDrillTests
{
    [Fact]
    public async Task Four_writers_and_a_reader_on_one_SQLite_file_lose_nothing_and_never_see_a_lock()
    {
        using var dir = new TempDir();
        var db = dir.File("shared.db");
        Ps.Run("Connect-Cimaa -Path $db; Initialize-CimaaTable | Out-Null", new Dictionary<string, object> { ["db"] = db }).ThrowIfFailed();
        const string writer = """
            Connect-Cimaa -Path $db
            foreach ($round in 1..10) {
                foreach ($a in 1..4) {
                    $agent = "w$id-a$a"
                    1..10 | ForEach-Object { [pscustomobject]@{ Name = "f$_"; Severity = 30 + ($round % 3) * 10; Message = "round $round" } } |
                        Set-CimaaFault -Agent $agent
                }
            }
            """;
        const string reader = """
            Connect-Cimaa -Path $db
            $reads = 0
            while (-not $stop.IsSet) { $null = Get-CimaaFault; $null = Get-CimaaAgent; $reads++ }
            $reads
            """;
        using var stop = new ManualResetEventSlim();
        var writers = Enumerable.Range(1, 4).Select(id => Task.Run(() => RunOwn(writer, new() { ["db"] = db, ["id"] = id }))).ToArray();
        var readerTask = Task.Run(() => RunOwn(reader, new() { ["db"] = db, ["stop"] = stop }));
        var written = await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(3));
        stop.Set();
        var read = await readerTask.WaitAsync(TimeSpan.FromMinutes(1));
        foreach (var r in written.Append(read))
        {
            Assert.DoesNotContain("locked", r.AllText, StringComparison.OrdinalIgnoreCase);
            r.ThrowIfFailed();
        }
        Assert.True((int)read.Output.Single().BaseObject > 0);
        var final = Ps.Run("""
            Connect-Cimaa -Path $db
            $f = Get-CimaaFault
            $f.Count
            @($f.Where({ $_.Message -ne 'round 10' -or $_.Severity -ne 40 })).Count
            @(Get-CimaaAgent).Count
            """, new Dictionary<string, object> { ["db"] = db }).ThrowIfFailed();
        Assert.Equal([160, 0, 16], final.Output.Select(o => (int)o.BaseObject));
    }

    private static PsResult RunOwn(string script, Dictionary<string, object> vars)
    {
        using var runspace = RunspaceFactory.CreateRunspace(Ps.SessionState());
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        return Ps.Invoke(ps, script, vars);
    }
}
