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
}
