using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

public sealed partial class SqliteStore
{
    public IAsyncEnumerable<SquelchRecord> GetSquelchesAsync(OpContext op)
    {
        op.Log.Verbose(ReadNotes.Squelches("squelches"));
        return QueryAsync("SelectSquelches", "SELECT regex, reason, user, time, permanent, expires FROM squelches ORDER BY regex", _ => { },
            r => new SquelchRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4) != 0, NullableLong(r, 5)), op);
    }

    public Task<bool> PutSquelchAsync(SquelchRecord s, bool overwrite, OpContext op) =>
        WriteAsync(async (conn, tx) =>
        {
            var verb = overwrite ? "INSERT OR REPLACE" : "INSERT OR IGNORE";
            await using var cmd = Command(tx, "PutSquelch",
                $"{verb} INTO squelches (regex, reason, user, time, permanent, expires) VALUES ($r, $reason, $user, $time, $p, $e)", op);
            cmd.Parameters.AddWithValue("$r", s.Regex);
            cmd.Parameters.AddWithValue("$reason", s.Reason);
            cmd.Parameters.AddWithValue("$user", s.User);
            cmd.Parameters.AddWithValue("$time", s.Time);
            cmd.Parameters.AddWithValue("$p", s.Permanent ? 1 : 0);
            cmd.Parameters.AddWithValue("$e", (object?)s.Expires ?? DBNull.Value);
            return await cmd.ExecuteNonQueryAsync(op.Token) > 0;
        }, op);

    public Task<bool> DeleteSquelchAsync(string regex, OpContext op) =>
        WriteAsync(async (conn, tx) =>
        {
            await using var cmd = Command(tx, "DeleteSquelch", "DELETE FROM squelches WHERE regex = $r", op);
            cmd.Parameters.AddWithValue("$r", regex);
            return await cmd.ExecuteNonQueryAsync(op.Token) > 0;
        }, op);
}
