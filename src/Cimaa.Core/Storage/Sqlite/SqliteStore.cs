using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Connections are pooled by Microsoft.Data.Sqlite;
/// each operation opens one, so several runspaces can share a file. Busy waits are bounded by the command timeout.
/// </summary>
public sealed partial class SqliteStore : ICimaaStore
{
    private readonly string _connectionString;
    private int _schemaReady;

    public SqliteStore(ConnectionSettings settings)
    {
        Settings = settings;
        var path = settings.Path ?? throw new ArgumentException("A Local connection needs a path.", nameof(settings));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public StoreKind Kind => StoreKind.Local;
    public ConnectionSettings Settings { get; }
    public RequestCounter Requests { get; } = new();
    public int WriteConcurrency => 1;

    /// <summary>Creates the file (mode 0600 on Unix) and turns on WAL. The folder must exist.</summary>
    public static void CreateFile(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
        {
            throw new CimaaException(ErrorIds.InvalidConnection, CimaaErrorCategory.ObjectNotFound,
                $"Cannot create the database '{path}': the folder '{dir}' does not exist.", path);
        }
        if (!File.Exists(path))
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using (new FileStream(path, options)) { }
            }
            catch (IOException) when (File.Exists(path))
            {
                // Created concurrently by another runspace: fine.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CimaaException(ErrorIds.InvalidConnection, CimaaErrorCategory.PermissionDenied,
                    $"Cannot create the database '{path}': {e.Message}", path, e);
            }
        }
        using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path }.ToString());
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL;";
        cmd.ExecuteNonQuery();
    }

    public async IAsyncEnumerable<TableStatus> InitializeAsync(TableOptions options, OpContext op)
    {
        await using var conn = await OpenRawAsync(op);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        op.Log.Verbose($"Checking the tables of {Settings.Path}");
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            op.Log.Debug($"SQLite ListTables: {cmd.CommandText}");
            await using var reader = await cmd.ExecuteReaderAsync(op.Token);
            while (await reader.ReadAsync(op.Token)) existing.Add(reader.GetString(0));
        }
        var missing = SqliteSchema.Tables.Where(t => !existing.Contains(t.Name)).Select(t => t.Name).ToList();
        if (missing.Count > 0) op.Log.Verbose($"Creating tables {string.Join(", ", missing)} in {Settings.Path}");
        op.Log.Debug("SQLite CreateSchema: CREATE TABLE IF NOT EXISTS ... (SqliteSchema.Ddl)");
        await EnsureSchemaAsync(conn, op);
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

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenRawAsync(OpContext op)
    {
        var conn = new SqliteConnection(_connectionString);
        try
        {
            await conn.OpenAsync(op.Token);
        }
        catch (SqliteException e)
        {
            await conn.DisposeAsync();
            throw StoreError(e);
        }
        return conn;
    }

    /// <summary>Opens a pooled connection with the schema in place (for the stores of other concepts on this file).</summary>
    internal Task<SqliteConnection> OpenConnectionAsync(OpContext op) => OpenAsync(op);

    /// <summary>Opens a pooled connection with the schema in place.</summary>
    private async Task<SqliteConnection> OpenAsync(OpContext op)
    {
        var conn = await OpenRawAsync(op);
        if (Volatile.Read(ref _schemaReady) == 0)
        {
            await EnsureSchemaAsync(conn, op);
            Volatile.Write(ref _schemaReady, 1);
        }
        return conn;
    }

    private static async Task EnsureSchemaAsync(SqliteConnection conn, OpContext op)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = SqliteSchema.Ddl;
        await cmd.ExecuteNonQueryAsync(op.Token);
    }

    private SqliteCommand Command(SqliteConnection conn, string operation, string sql, OpContext op)
    {
        Requests.Add(operation);
        op.Log.Debug($"SQLite {operation}: {sql}");
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return cmd;
    }

    /// <summary>A counted command enlisted in <paramref name="tx"/>.</summary>
    private SqliteCommand Command(SqliteTransaction tx, string operation, string sql, OpContext op)
    {
        var cmd = Command(tx.Connection!, operation, sql, op);
        cmd.Transaction = tx;
        return cmd;
    }

    /// <summary>Runs a query and streams the mapped rows; the connection lives as long as the enumeration.</summary>
    private async IAsyncEnumerable<T> QueryAsync<T>(string operation, string sql, Action<SqliteParameterCollection> bind,
        Func<SqliteDataReader, T> map, OpContext op)
    {
        await using var conn = await OpenAsync(op);
        await using var cmd = Command(conn, operation, sql, op);
        bind(cmd.Parameters);
        SqliteDataReader reader;
        try
        {
            reader = await cmd.ExecuteReaderAsync(op.Token);
        }
        catch (SqliteException e)
        {
            throw StoreError(e);
        }
        await using (reader)
        {
            while (await reader.ReadAsync(op.Token)) yield return map(reader);
        }
    }

    /// <summary>Runs statements in one immediate transaction.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, OpContext op)
    {
        await using var conn = await OpenAsync(op);
        try
        {
            await using var tx = conn.BeginTransaction(deferred: false);
            var result = await work(conn, tx);
            await tx.CommitAsync(op.Token);
            return result;
        }
        catch (SqliteException e)
        {
            throw StoreError(e);
        }
    }

    internal static CimaaException StoreError(SqliteException e) =>
        new(ErrorIds.StoreError, e.SqliteErrorCode is 5 or 6 ? CimaaErrorCategory.ResourceUnavailable : CimaaErrorCategory.WriteError,
            $"SQLite error: {e.Message}", null, e);

    private static long? NullableLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}
