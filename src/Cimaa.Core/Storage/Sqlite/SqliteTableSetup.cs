namespace Cimaa.Storage.Sqlite;

/// <summary>Initialize-CimaaTable on SQLite: creates the missing tables of <see cref="SqliteSchema"/> and reports each.</summary>
internal sealed class SqliteTableSetup(SqliteDatabase db) : ITableStore
{
    public async IAsyncEnumerable<TableStatus> InitializeAsync(TableOptions options, OpContext op)
    {
        await using var conn = await db.OpenRawAsync(op).ConfigureAwait(false);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        op.Log.Verbose($"Checking the tables of {db.Path}");
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            op.Log.Debug($"SQLite ListTables: {cmd.CommandText}");
            await using var reader = await cmd.ExecuteReaderAsync(op.Token).ConfigureAwait(false);
            while (await reader.ReadAsync(op.Token).ConfigureAwait(false)) existing.Add(reader.GetString(0));
        }
        var missing = SqliteSchema.Tables.Where(t => !existing.Contains(t.Name)).Select(t => t.Name).ToList();
        if (missing.Count > 0) op.Log.Verbose($"Creating tables {string.Join(", ", missing)} in {db.Path}");
        op.Log.Debug("SQLite CreateSchema: CREATE TABLE IF NOT EXISTS ... (SqliteSchema.Ddl)");
        await SqliteDatabase.EnsureSchemaAsync(conn, op).ConfigureAwait(false);
        foreach (var table in SqliteSchema.Tables)
        {
            yield return new TableStatus
            {
                Table = table.Name,
                Status = existing.Contains(table.Name) ? "Exists" : "Created",
                KeySchema = table.Keys,
            };
        }
    }
}
