using Microsoft.Data.Sqlite;

namespace Cimaa.Bench;

/// <summary>Set-CimaaFault for 1,000 agents x 5 faults on SQLite, against raw Microsoft.Data.Sqlite inserts in one transaction per agent.</summary>
public sealed class SqliteBench(BenchHost host, string folder)
{
    private int _files;

    private string NewFile()
    {
        var path = Path.Combine(folder, $"bench{Interlocked.Increment(ref _files)}.db");
        host.Run("Connect-Cimaa -Path $p; Initialize-CimaaTable | Out-Null", new Dictionary<string, object> { ["p"] = path });
        return path;
    }

    public async Task<Result> WritesAsync(int agents, int faults, int runs)
    {
        host.Run("""
            $global:objs = foreach ($a in 0..($n - 1)) { foreach ($j in 0..($f - 1)) { [pscustomobject]@{ Agent = "agent$a"; Name = "check$j"; Severity = 40; Message = "m" } } }
            """, new Dictionary<string, object> { ["n"] = agents, ["f"] = faults });
        Cmdlet();
        Raw(NewFile(), agents, faults);
        var medians = await Measure.PairAsync(runs, _ => Task.FromResult(Cmdlet()), _ => Task.FromResult(Raw(NewFile(), agents, faults)));
        return Measure.Ratio($"Writes on SQLite ({agents} agents x {faults} faults)", medians, 2.0, "baseline: one transaction of inserts per agent");

        double Cmdlet()
        {
            NewFile();
            return host.Time("$global:objs | Set-CimaaFault");
        }
    }

    private static double Raw(string path, int agents, int faults) => Measure.Seconds(() =>
    {
        using var conn = new SqliteConnection($"Data Source={path}");
        conn.Open();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var a = 0; a < agents; a++)
        {
            using var tx = conn.BeginTransaction();
            using var put = conn.CreateCommand();
            put.Transaction = tx;
            put.CommandText = "INSERT OR REPLACE INTO faults (agent, name, severity, message, since, updated, triggered) VALUES ($a, $n, 40, 'm', $t, $t, 0)";
            put.Parameters.AddWithValue("$a", $"agent{a}");
            var name = put.Parameters.Add("$n", SqliteType.Text);
            put.Parameters.AddWithValue("$t", now);
            for (var j = 0; j < faults; j++)
            {
                name.Value = $"check{j}";
                put.ExecuteNonQuery();
            }
            using var beat = conn.CreateCommand();
            beat.Transaction = tx;
            beat.CommandText = "INSERT OR REPLACE INTO heartbeats (agent, updated) VALUES ($a, $t)";
            beat.Parameters.AddWithValue("$a", $"agent{a}");
            beat.Parameters.AddWithValue("$t", now);
            beat.ExecuteNonQuery();
            tx.Commit();
        }
    });
}
