using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

/// <summary>
/// What every SQLite store shares, one per connection: the file (WAL mode), its schema, counted commands, streaming queries
/// and write transactions. Connections are pooled by Microsoft.Data.Sqlite; each operation opens one, so several runspaces
/// can share a file. A store takes it in its constructor.
/// </summary>
/// <remarks>
/// Every write transaction begins IMMEDIATE, on a connection with a busy timeout and synchronous=FULL: a writer waits for
/// another one instead of failing with "database is locked", and a commit is durable when it returns. Given a
/// <see cref="WriteBatch"/> (<see cref="OpContext.Batch"/>), reads and writes run in the batch's one transaction instead,
/// and nothing is committed until the batch is.
/// </remarks>
/// <remarks>
/// Statement parameters are given as values, in the order their <c>$names</c> first appear in the SQL.
/// </remarks>
internal sealed class SqliteDatabase : IAsyncDisposable, IBatchSource
{
    /// <summary>How long a writer waits for another writer's lock, in milliseconds.</summary>
    internal const int BusyTimeoutMs = 30_000;

    private const string WritePragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _parameterNamesBySql = new(StringComparer.Ordinal);
    private static readonly Regex ParameterName = new(@"\$[A-Za-z_][A-Za-z0-9_]*", RegexOptions.CultureInvariant);
    private readonly string _connectionString;
    private int _schemaReady;

    private SqliteDatabase(ConnectionSettings settings)
    {
        Path = settings.Path ?? throw new ArgumentException("A Local connection needs a path.", nameof(settings));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Statements run, by operation name; each command counts once however many rows it writes.</summary>
    public RequestCounter Requests { get; } = new();

    /// <summary>Creates the file if needed (<see cref="CreateFile"/>) and returns the helper over it.</summary>
    public static SqliteDatabase Open(ConnectionSettings settings)
    {
        CreateFile(settings.Path ?? throw new ArgumentException("A Local connection needs a path.", nameof(settings)));
        return new SqliteDatabase(settings);
    }

    /// <summary>Creates the file (mode 0600 on Unix) and turns on WAL. The folder must exist.</summary>
    public static void CreateFile(string path)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
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

    /// <summary>Opens a pooled connection without touching the schema.</summary>
    public async Task<SqliteConnection> OpenRawAsync(OpContext op)
    {
        var conn = new SqliteConnection(_connectionString);
        try
        {
            await conn.OpenAsync(op.Token).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw StoreError(e);
        }
        return conn;
    }

    /// <summary>Opens a pooled connection with the schema in place (created on the first use of this helper).</summary>
    public async Task<SqliteConnection> OpenAsync(OpContext op)
    {
        var conn = await OpenRawAsync(op).ConfigureAwait(false);
        if (Volatile.Read(ref _schemaReady) == 0)
        {
            await EnsureSchemaAsync(conn, op).ConfigureAwait(false);
            Volatile.Write(ref _schemaReady, 1);
        }
        return conn;
    }

    /// <summary>Runs <see cref="SqliteSchema.Ddl"/> (CREATE ... IF NOT EXISTS) on the connection.</summary>
    public static async Task EnsureSchemaAsync(SqliteConnection conn, OpContext op)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = SqliteSchema.Ddl;
        await cmd.ExecuteNonQueryAsync(op.Token).ConfigureAwait(false);
    }

    /// <summary>A command, counted under <paramref name="operation"/> and shown as a debug line, with its parameters bound.</summary>
    /// <remarks>Not <paramref name="counted"/>: a command made to be kept (a batch's), counted and shown each time it is lent.</remarks>
    public SqliteCommand Command(SqliteConnection conn, string operation, string sql, IReadOnlyList<object?> values, OpContext op, bool counted = true)
    {
        if (counted)
        {
            Requests.Add(operation);
            op.Log.Debug($"SQLite {operation}: {sql}");
        }
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in ParameterNames(sql)) cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        Bind(cmd, values);
        return cmd;
    }

    /// <summary>A counted command enlisted in <paramref name="tx"/>.</summary>
    public SqliteCommand Command(SqliteTransaction tx, string operation, string sql, IReadOnlyList<object?> values, OpContext op, bool counted = true)
    {
        var cmd = Command(tx.Connection!, operation, sql, values, op, counted);
        cmd.Transaction = tx;
        return cmd;
    }

    /// <summary>Runs a query and streams the mapped rows; the connection lives as long as the enumeration.</summary>
    /// <remarks>In a batch, the query runs in the batch's transaction, and sees its writes.</remarks>
    public async IAsyncEnumerable<T> QueryAsync<T>(string operation, string sql, IReadOnlyList<object?> values, Func<SqliteDataReader, T> map,
        OpContext op)
    {
        var batch = BatchOf(op);
        await using var owned = batch is null ? await OpenAsync(op).ConfigureAwait(false) : null;
        await using var lease = batch is null ? new CommandLease(Command(owned!, operation, sql, values, op), null)
            : Lease(batch.Transaction, operation, sql, values, op);
        var cmd = lease.Command;
        SqliteDataReader reader;
        try
        {
            reader = await cmd.ExecuteReaderAsync(op.Token).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw StoreError(e);
        }
        await using (reader)
        {
            while (await reader.ReadAsync(op.Token).ConfigureAwait(false)) yield return map(reader);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one immediate transaction, committed when it returns; in a batch, in the batch's
    /// transaction, committed with the batch.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteTransaction, Task<T>> work, OpContext op)
    {
        try
        {
            if (BatchOf(op) is { } batch) return await work(batch.Transaction).ConfigureAwait(false);
            await using var conn = await OpenWriterAsync(op).ConfigureAwait(false);
            await using var tx = conn.BeginTransaction(deferred: false);
            var result = await work(tx).ConfigureAwait(false);
            await tx.CommitAsync(op.Token).ConfigureAwait(false);
            return result;
        }
        catch (SqliteException e)
        {
            throw StoreError(e);
        }
    }

    /// <summary>Opens a connection and begins the immediate transaction of a <see cref="WriteBatch"/>.</summary>
    public async Task<IStoreBatch> BeginBatchAsync(OpContext op)
    {
        var conn = await OpenWriterAsync(op).ConfigureAwait(false);
        try
        {
            return new SqliteBatch(this, conn, conn.BeginTransaction(deferred: false));
        }
        catch (SqliteException e)
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw StoreError(e);
        }
    }

    /// <summary>A connection for writing: the busy timeout, and synchronous=FULL whatever the file's default.</summary>
    private async Task<SqliteConnection> OpenWriterAsync(OpContext op)
    {
        var conn = await OpenAsync(op).ConfigureAwait(false);
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = WritePragmas;
            await cmd.ExecuteNonQueryAsync(op.Token).ConfigureAwait(false);
            return conn;
        }
        catch
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The batch of this database the operation runs in, if any.</summary>
    private SqliteBatch? BatchOf(OpContext op) => op.Batch?.Store is SqliteBatch b && b.Database == this ? b : null;

    /// <summary>
    /// A counted command in <paramref name="tx"/>: in the operation's batch, its prepared command for this SQL, rebound (as the
    /// raw program keeps its commands for a whole pipeline); otherwise a new one, disposed with the lease.
    /// </summary>
    private CommandLease Lease(SqliteTransaction tx, string operation, string sql, IReadOnlyList<object?> values, OpContext op)
    {
        if (BatchOf(op) is { } batch && batch.Transaction == tx && batch.Rent(sql) is { } cached)
        {
            Requests.Add(operation);
            op.Log.Debug($"SQLite {operation}: {sql}");
            Bind(cached, values);
            return new CommandLease(cached, batch);
        }
        return new CommandLease(Command(tx, operation, sql, values, op), null);
    }

    /// <summary>A command and who gets it back: the batch that lent it, or nobody (disposed).</summary>
    private readonly struct CommandLease(SqliteCommand command, SqliteBatch? lender) : IAsyncDisposable
    {
        public SqliteCommand Command { get; } = command;

        public ValueTask DisposeAsync()
        {
            if (lender is null) return Command.DisposeAsync();
            lender.Return(Command);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>One statement in the transaction; the number of rows it changed.</summary>
    public async Task<int> ExecuteAsync(SqliteTransaction tx, string operation, string sql, IReadOnlyList<object?> values, OpContext op)
    {
        await using var lease = Lease(tx, operation, sql, values, op);
        return await lease.Command.ExecuteNonQueryAsync(op.Token).ConfigureAwait(false);
    }

    /// <summary>One statement run once per row (one command, counted once), its parameters set from <paramref name="values"/>.</summary>
    /// <remarks>No rows: no command, and nothing counted.</remarks>
    public async Task ExecuteEachAsync<T>(SqliteTransaction tx, string operation, string sql, IReadOnlyCollection<T> rows, Func<T, object?[]> values,
        OpContext op)
    {
        if (rows.Count == 0) return;
        await using var lease = Lease(tx, operation, sql, [], op);
        var cmd = lease.Command;
        foreach (var row in rows)
        {
            Bind(cmd, values(row));
            await cmd.ExecuteNonQueryAsync(op.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a nullable INTEGER column.</summary>
    public static long? NullableLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        return ValueTask.CompletedTask;
    }

    internal static void Bind(SqliteCommand cmd, IReadOnlyList<object?> values)
    {
        for (var i = 0; i < values.Count; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <summary>The <c>$names</c> of a statement, each once, in the order they first appear.</summary>
    private string[] ParameterNames(string sql) =>
        _parameterNamesBySql.GetOrAdd(sql, s => ParameterName.Matches(s).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToArray());

    internal static CimaaException StoreError(SqliteException e) =>
        new(ErrorIds.StoreError, e.SqliteErrorCode is 5 or 6 ? CimaaErrorCategory.ResourceUnavailable : CimaaErrorCategory.WriteError,
            $"SQLite error: {e.Message}", null, e);
}
