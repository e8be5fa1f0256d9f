namespace Cimaa.Storage.Sqlite;

/// <summary>Squelches in the <c>squelches</c> table (regex).</summary>
internal sealed class SqliteSquelchStore(SqliteDatabase db) : ISquelchStore
{
    public IAsyncEnumerable<SquelchRecord> GetSquelchesAsync(OpContext op)
    {
        op.Log.Verbose(ReadNotes.Squelches("squelches"));
        return db.QueryAsync("SelectSquelches", "SELECT regex, reason, user, time, permanent, expires FROM squelches ORDER BY regex", [],
            r => new SquelchRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4) != 0,
                SqliteDatabase.NullableLong(r, 5)), op);
    }

    public Task<bool> PutSquelchAsync(SquelchRecord squelch, bool overwrite, OpContext op) =>
        db.WriteAsync(async tx => await db.ExecuteAsync(tx, "PutSquelch",
            $"{(overwrite ? "INSERT OR REPLACE" : "INSERT OR IGNORE")} INTO squelches (regex, reason, user, time, permanent, expires) " +
            "VALUES ($r, $reason, $user, $time, $p, $e)",
            [squelch.Regex, squelch.Reason, squelch.User, squelch.Time, squelch.Permanent ? 1 : 0, squelch.Expires], op).ConfigureAwait(false) > 0, op);

    public Task<bool> DeleteSquelchAsync(string regex, OpContext op) =>
        db.WriteAsync(async tx => await db.ExecuteAsync(tx, "DeleteSquelch", "DELETE FROM squelches WHERE regex = $r", [regex], op)
            .ConfigureAwait(false) > 0, op);
}
