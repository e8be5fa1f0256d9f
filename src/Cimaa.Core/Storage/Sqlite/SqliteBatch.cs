using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

/// <summary>
/// One connection and its immediate transaction, for a whole pipeline (<see cref="WriteBatch"/> on SQLite). Its commands are
/// kept by SQL and lent out again, so a statement is prepared once per pipeline, not once per agent.
/// </summary>
internal sealed class SqliteBatch(SqliteDatabase database, SqliteConnection connection, SqliteTransaction transaction) : IStoreBatch
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly HashSet<SqliteCommand> _lent = [];

    public SqliteDatabase Database { get; } = database;

    public SqliteTransaction Transaction { get; } = transaction;

    /// <summary>The prepared command for <paramref name="sql"/>, created on first use; null while it is lent (a nested use).</summary>
    public SqliteCommand? Rent(string sql)
    {
        lock (_commands)
        {
            if (!_commands.TryGetValue(sql, out var cmd))
            {
                cmd = Database.Command(Transaction, "", sql, [], OpContext.None, counted: false);
                _commands[sql] = cmd;
            }
            return _lent.Add(cmd) ? cmd : null;
        }
    }

    public void Return(SqliteCommand cmd)
    {
        lock (_commands) _lent.Remove(cmd);
    }

    public async Task CommitAsync(OpContext op)
    {
        try
        {
            await Transaction.CommitAsync(op.Token).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw SqliteDatabase.StoreError(e);
        }
    }

    /// <summary>An uncommitted transaction rolls back as it is disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in _commands.Values) await cmd.DisposeAsync().ConfigureAwait(false);
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
