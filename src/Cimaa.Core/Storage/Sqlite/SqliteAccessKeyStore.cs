using System.Text.Json;

namespace Cimaa.Storage.Sqlite;

/// <summary>
/// Access keys in the <c>credentials</c> table: the DynamoDB layout, with the permissions as a JSON array of strings
/// (<c>[]</c> for none). Statements are shown as debug lines by the database helper: the SQL only, never its parameters.
/// </summary>
internal sealed class SqliteAccessKeyStore(SqliteDatabase db) : IAccessKeyStore
{
    private const string Columns = "access_key_id, secret_access_key, permissions, state, created, description";

    public IAsyncEnumerable<AccessKeyItem> GetAccessKeysAsync(OpContext op)
    {
        op.Log.Verbose("Reading the access keys from table 'credentials'");
        return db.QueryAsync("SelectAccessKeys", $"SELECT {Columns} FROM credentials ORDER BY access_key_id", [], Read, op);
    }

    public async Task<AccessKeyItem?> GetAccessKeyAsync(string accessKeyId, OpContext op)
    {
        await foreach (var key in db.QueryAsync("SelectAccessKey", $"SELECT {Columns} FROM credentials WHERE access_key_id = $id", [accessKeyId],
            Read, op).ConfigureAwait(false))
        {
            return key;
        }
        return null;
    }

    public Task<bool> PutAccessKeyAsync(AccessKeyItem key, bool overwrite, OpContext op) =>
        db.WriteAsync(async tx => await db.ExecuteAsync(tx, overwrite ? "UpdateAccessKey" : "InsertAccessKey", overwrite
            ? "UPDATE credentials SET secret_access_key = $secret, permissions = $permissions, state = $state, created = $created, " +
              "description = $description WHERE access_key_id = $id"
            : $"INSERT OR IGNORE INTO credentials ({Columns}) VALUES ($id, $secret, $permissions, $state, $created, $description)",
            overwrite
                ? [key.SecretAccessKey, JsonSerializer.Serialize(key.Permissions), key.State, key.Created, Description(key), key.AccessKeyId]
                : [key.AccessKeyId, key.SecretAccessKey, JsonSerializer.Serialize(key.Permissions), key.State, key.Created, Description(key)],
            op).ConfigureAwait(false) > 0, op);

    public Task<bool> DeleteAccessKeyAsync(string accessKeyId, OpContext op) =>
        db.WriteAsync(async tx => await db.ExecuteAsync(tx, "DeleteAccessKey", "DELETE FROM credentials WHERE access_key_id = $id", [accessKeyId], op)
            .ConfigureAwait(false) > 0, op);

    private static string? Description(AccessKeyItem key) => string.IsNullOrEmpty(key.Description) ? null : key.Description;

    private static AccessKeyItem Read(Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), Permissions(r.GetString(2)), r.GetString(3), r.GetInt64(4), r.IsDBNull(5) ? null : r.GetString(5));

    private static string[] Permissions(string json)
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
