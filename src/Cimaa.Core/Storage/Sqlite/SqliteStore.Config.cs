using System.Collections;
using System.Collections.Specialized;
using Cimaa.Config;
using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

/// <summary>Configuration options in the <c>config</c> table: (store, option) and the values as JSON (<see cref="ConfigJson"/>).</summary>
public sealed partial class SqliteStore
{
    public IAsyncEnumerable<ConfigOption> GetConfigOptionsAsync(string store, bool consistentRead, OpContext op)
    {
        op.Log.Verbose($"Reading config for store {store}");
        return QueryAsync("SelectConfigStore", "SELECT store, option, data FROM config WHERE store = $store ORDER BY option",
            p => p.AddWithValue("$store", store), r => ReadOption(r, op), op);
    }

    public IAsyncEnumerable<string> GetConfigStoreNamesAsync(OpContext op) =>
        QueryAsync("SelectConfigStores", "SELECT DISTINCT store FROM config ORDER BY store", _ => { }, r => r.GetString(0), op);

    public async Task<ConfigOption?> GetConfigOptionAsync(string store, string option, bool consistentRead, OpContext op)
    {
        op.Log.Verbose($"Reading config option {store}/{option}");
        await foreach (var found in QueryAsync("SelectConfigOption", "SELECT store, option, data FROM config WHERE store = $store AND option = $option",
            p => { p.AddWithValue("$store", store); p.AddWithValue("$option", option); }, r => ReadOption(r, op), op))
        {
            return found;
        }
        return null;
    }

    public Task<ConfigOption> PutConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op)
    {
        op.Log.Verbose($"Writing config option {store}/{option} ({values.Count} keys)");
        return WriteAsync(async (conn, tx) =>
        {
            await UpsertOption(tx, store, option, values, op);
            return new ConfigOption { Store = store, Option = option, Values = values };
        }, op);
    }

    public Task<ConfigOption> MergeConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op)
    {
        op.Log.Verbose($"Merging {values.Count} keys into config option {store}/{option}");
        return WriteAsync(async (conn, tx) =>
        {
            await using var select = Command(tx, "SelectConfigOption", "SELECT data FROM config WHERE store = $store AND option = $option", op);
            select.Parameters.AddWithValue("$store", store);
            select.Parameters.AddWithValue("$option", option);
            var existing = await select.ExecuteScalarAsync(op.Token) is string json
                ? ConfigJson.Deserialize(json, $"{store}/{option}", op.Log.Warning)
                : ConfigValues.Create();
            foreach (DictionaryEntry e in values)
            {
                existing.Remove(e.Key); // the given spelling of a key replaces a stored one that differs only in case
                existing.Add(e.Key, e.Value);
            }
            var merged = ConfigValues.FromPairs(existing.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>((string)e.Key, e.Value)), "", null);
            await UpsertOption(tx, store, option, merged, op);
            return new ConfigOption { Store = store, Option = option, Values = merged };
        }, op);
    }

    public Task<bool> DeleteConfigOptionAsync(string store, string option, OpContext op)
    {
        op.Log.Verbose($"Deleting config option {store}/{option}");
        return WriteAsync(async (conn, tx) =>
        {
            await using var cmd = Command(tx, "DeleteConfigOption", "DELETE FROM config WHERE store = $store AND option = $option", op);
            cmd.Parameters.AddWithValue("$store", store);
            cmd.Parameters.AddWithValue("$option", option);
            return await cmd.ExecuteNonQueryAsync(op.Token) > 0;
        }, op);
    }

    private async Task UpsertOption(SqliteTransaction tx, string store, string option, OrderedDictionary values, OpContext op)
    {
        await using var cmd = Command(tx, "UpsertConfigOption", "INSERT OR REPLACE INTO config (store, option, data) VALUES ($store, $option, $data)", op);
        cmd.Parameters.AddWithValue("$store", store);
        cmd.Parameters.AddWithValue("$option", option);
        cmd.Parameters.AddWithValue("$data", ConfigJson.Serialize(values));
        await cmd.ExecuteNonQueryAsync(op.Token);
    }

    private static ConfigOption ReadOption(SqliteDataReader r, OpContext op)
    {
        var store = r.GetString(0);
        var option = r.GetString(1);
        return new ConfigOption { Store = store, Option = option, Values = ConfigJson.Deserialize(r.GetString(2), $"{store}/{option}", op.Log.Warning) };
    }
}
