using Microsoft.Data.Sqlite;

namespace Cimaa.PowerShell.Tests;

/// <summary>Writes rows straight into a Cimaa SQLite file, for states the cmdlets cannot make on the real clock (old heartbeats).</summary>
public static class Seed
{
    public static void Heartbeat(string db, string agent, DateTimeOffset updated)
    {
        using var conn = new SqliteConnection($"Data Source={db};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "INSERT OR REPLACE INTO heartbeats (agent, updated) VALUES ($a, $u)";
        cmd.Parameters.AddWithValue("$a", agent);
        cmd.Parameters.AddWithValue("$u", updated.ToUnixTimeSeconds());
        cmd.ExecuteNonQuery();
    }

    public static void Squelch(string db, string regex, string reason, string user, DateTimeOffset time, bool permanent = false)
    {
        using var conn = new SqliteConnection($"Data Source={db};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "INSERT OR REPLACE INTO squelches (regex, reason, user, time, permanent) VALUES ($r, $reason, $u, $t, $p)";
        cmd.Parameters.AddWithValue("$r", regex);
        cmd.Parameters.AddWithValue("$reason", reason);
        cmd.Parameters.AddWithValue("$u", user);
        cmd.Parameters.AddWithValue("$t", time.ToUnixTimeSeconds());
        cmd.Parameters.AddWithValue("$p", permanent ? 1 : 0);
        cmd.ExecuteNonQuery();
    }
}
