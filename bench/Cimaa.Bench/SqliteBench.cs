using Microsoft.Data.Sqlite;

namespace Cimaa.Bench;

/// <summary>
/// Set-CimaaFault on SQLite against its floor: raw Microsoft.Data.Sqlite doing, per agent, the SELECT of its faults and then the
/// upserts, the whole pipeline in one transaction with synchronous=FULL; plus the binding time of the same records.
/// </summary>
public sealed class SqliteBench(BenchHost host, string folder)
{
    private int _files;

    /// <summary>A fresh database file created by Initialize-CimaaTable (WAL, Cimaa's schema); the session is connected to it.</summary>
    public string NewFile()
    {
        var path = Path.Combine(folder, $"bench{Interlocked.Increment(ref _files)}.db");
        host.Run("Connect-Cimaa -Path $p; Initialize-CimaaTable | Out-Null", new Dictionary<string, object> { ["p"] = path });
        return path;
    }

    public async Task<Result> WritesAsync(int agents, int faults, int runs)
    {
        DynamoBench.MakeFaultRecords(host, agents, faults);
        Cmdlet();
        Raw(NewFile(), agents, faults);
        DynamoBench.BindFloor(host);
        var results = await Measure.FloorAsync(runs, () => Task.FromResult(Cmdlet()), () => Task.FromResult(Raw(NewFile(), agents, faults)),
            () => DynamoBench.BindFloor(host));
        return Measure.FloorRow($"Set-CimaaFault on SQLite, {agents:N0} agents x {faults} faults", results, 1.5, "raw Microsoft.Data.Sqlite", "binding",
            "the floor: per agent a SELECT then the upserts and the heartbeat, one transaction (BEGIN IMMEDIATE) for the pipeline, " +
            "synchronous=FULL, WAL as Cimaa's file") with { Profile = "sqlite-writes" };

        double Cmdlet()
        {
            NewFile();
            return host.Time("$global:objs | Set-CimaaFault");
        }
    }

    private static double Raw(string path, int agents, int faults) => Measure.Seconds(() =>
    {
        using var conn = new SqliteConnection($"Data Source={path};Pooling=False");
        conn.Open();
        using (var full = conn.CreateCommand())
        {
            full.CommandText = "PRAGMA synchronous=FULL";
            full.ExecuteNonQuery();
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var tx = conn.BeginTransaction(deferred: false);
        using var select = conn.CreateCommand();
        select.Transaction = tx;
        select.CommandText = "SELECT agent, name, severity, message, since, updated, triggered FROM faults WHERE agent = $a ORDER BY name";
        var selectAgent = select.Parameters.Add("$a", SqliteType.Text);
        using var put = conn.CreateCommand();
        put.Transaction = tx;
        // Every column bound per row, as Cimaa binds them (a fault's values come from its input record).
        put.CommandText = "INSERT OR REPLACE INTO faults (agent, name, severity, message, since, updated, triggered) VALUES ($a, $n, $s, $m, $since, $t, $g)";
        var putAgent = put.Parameters.Add("$a", SqliteType.Text);
        var name = put.Parameters.Add("$n", SqliteType.Text);
        var severity = put.Parameters.Add("$s", SqliteType.Integer);
        var message = put.Parameters.Add("$m", SqliteType.Text);
        var since = put.Parameters.Add("$since", SqliteType.Integer);
        var updated = put.Parameters.Add("$t", SqliteType.Integer);
        var triggered = put.Parameters.Add("$g", SqliteType.Integer);
        using var beat = conn.CreateCommand();
        beat.Transaction = tx;
        beat.CommandText = "INSERT OR REPLACE INTO heartbeats (agent, updated) VALUES ($a, $t)";
        var beatAgent = beat.Parameters.Add("$a", SqliteType.Text);
        beat.Parameters.AddWithValue("$t", now);
        for (var a = 0; a < agents; a++)
        {
            var agent = $"agent{a}";
            selectAgent.Value = agent;
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read()) _ = reader.GetString(1);
            }
            putAgent.Value = agent;
            for (var j = 0; j < faults; j++)
            {
                name.Value = $"check{j}";
                severity.Value = 40;
                message.Value = "m";
                since.Value = now;
                updated.Value = now;
                triggered.Value = 0;
                put.ExecuteNonQuery();
            }
            beatAgent.Value = agent;
            beat.ExecuteNonQuery();
        }
        tx.Commit();
    });
}
