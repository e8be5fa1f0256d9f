using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

/// <summary>
/// Access keys in the <c>credentials</c> table of the SQLite file: the DynamoDB layout, with the permissions as a JSON array
/// of strings (<c>[]</c> for none). Each operation opens a pooled connection through the store's helper, which puts the schema
/// in place; each statement is counted and shown as a debug line (the SQL only, never its parameters).
/// </summary>
public sealed class SqliteAccessKeyStore : IAccessKeyStore
{
    private const string Columns = "access_key_id, secret_access_key, permissions, state, created, description";
    private readonly Func<OpContext, Task<SqliteConnection>> _open;
    private readonly RequestCounter _requests;

    /// <param name="open">Opens a connection to the file with the schema in place.</param>
    /// <param name="requests">Counts the statements sent.</param>
    public SqliteAccessKeyStore(Func<OpContext, Task<SqliteConnection>> open, RequestCounter requests)
    {
        _open = open;
        _requests = requests;
    }

    public async IAsyncEnumerable<AccessKeyItem> GetAccessKeysAsync(OpContext op)
    {
        op.Log.Verbose("Reading the access keys from table 'credentials'");
        await foreach (var key in QueryAsync("SelectAccessKeys", $"SELECT {Columns} FROM credentials ORDER BY access_key_id", null, op))
            yield return key;
    }

    public async Task<AccessKeyItem?> GetAccessKeyAsync(string accessKeyId, OpContext op)
    {
        await foreach (var key in QueryAsync("SelectAccessKey", $"SELECT {Columns} FROM credentials WHERE access_key_id = $id", accessKeyId, op))
            return key;
        return null;
    }

    public Task<bool> PutAccessKeyAsync(AccessKeyItem key, bool overwrite, OpContext op) =>
        ExecuteAsync(overwrite ? "UpdateAccessKey" : "InsertAccessKey", overwrite
            ? "UPDATE credentials SET secret_access_key = $secret, permissions = $permissions, state = $state, created = $created, " +
              "description = $description WHERE access_key_id = $id"
            : $"INSERT OR IGNORE INTO credentials ({Columns}) VALUES ($id, $secret, $permissions, $state, $created, $description)",
            p =>
            {
                p.AddWithValue("$id", key.AccessKeyId);
                p.AddWithValue("$secret", key.SecretAccessKey);
                p.AddWithValue("$permissions", JsonSerializer.Serialize(key.Permissions));
                p.AddWithValue("$state", key.State);
                p.AddWithValue("$created", key.Created);
                p.AddWithValue("$description", string.IsNullOrEmpty(key.Description) ? DBNull.Value : key.Description);
            }, op);

    public Task<bool> DeleteAccessKeyAsync(string accessKeyId, OpContext op) =>
        ExecuteAsync("DeleteAccessKey", "DELETE FROM credentials WHERE access_key_id = $id", p => p.AddWithValue("$id", accessKeyId), op);

    private async Task<bool> ExecuteAsync(string operation, string sql, Action<SqliteParameterCollection> bind, OpContext op)
    {
        await using var conn = await _open(op);
        await using var cmd = Command(conn, operation, sql, op);
        bind(cmd.Parameters);
        try
        {
            return await cmd.ExecuteNonQueryAsync(op.Token) > 0;
        }
        catch (SqliteException e)
        {
            throw SqliteStore.StoreError(e);
        }
    }

    private async IAsyncEnumerable<AccessKeyItem> QueryAsync(string operation, string sql, string? id, OpContext op,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var conn = await _open(op);
        await using var cmd = Command(conn, operation, sql, op);
        if (id is not null) cmd.Parameters.AddWithValue("$id", id);
        SqliteDataReader reader;
        try
        {
            reader = await cmd.ExecuteReaderAsync(op.Token);
        }
        catch (SqliteException e)
        {
            throw SqliteStore.StoreError(e);
        }
        await using (reader)
        {
            while (await reader.ReadAsync(op.Token))
            {
                yield return new AccessKeyItem(reader.GetString(0), reader.GetString(1), Permissions(reader.GetString(2)), reader.GetString(3),
                    reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5));
            }
        }
    }

    private SqliteCommand Command(SqliteConnection conn, string operation, string sql, OpContext op)
    {
        _requests.Add(operation);
        op.Log.Debug($"SQLite {operation}: {sql}");
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return cmd;
    }

    private static IReadOnlyList<string> Permissions(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
