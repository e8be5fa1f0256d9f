using System.Collections.Specialized;
using Cimaa.Config;
using Microsoft.Data.Sqlite;

namespace Cimaa.Storage.Sqlite;

/// <summary>Configuration options in the <c>config</c> table: (store, option) and the values as JSON (<see cref="ConfigJson"/>).</summary>
internal sealed class SqliteConfigStore(SqliteDatabase db) : IConfigStore
{
    private const string SelectOption = "SELECT store, option, data FROM config WHERE store = $store AND option = $option";

    public IAsyncEnumerable<ConfigOption> GetConfigOptionsAsync(string store, bool consistentRead, OpContext op)
    {
        op.Log.Verbose($"Reading config for store {store}");
        return db.QueryAsync("SelectConfigStore", "SELECT store, option, data FROM config WHERE store = $store ORDER BY option", [store],
            r => ReadOption(r, op), op);
    }

    public IAsyncEnumerable<string> GetConfigStoreNamesAsync(OpContext op) =>
        db.QueryAsync("SelectConfigStores", "SELECT DISTINCT store FROM config ORDER BY store", [], r => r.GetString(0), op);

    public async Task<ConfigOption?> GetConfigOptionAsync(string store, string option, bool consistentRead, OpContext op)
    {
        op.Log.Verbose($"Reading config option {store}/{option}");
        await foreach (var found in db.QueryAsync("SelectConfigOption", SelectOption, [store, option], r => ReadOption(r, op), op).ConfigureAwait(false))
        {
            return found;
        }
        return null;
    }

    public Task<ConfigOption> PutConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op)
    {
        op.Log.Verbose($"Writing config option {store}/{option} ({values.Count} keys)");
        return db.WriteAsync(tx => UpsertOption(tx, store, option, values, op), op);
    }

    /// <summary>Reads the option and writes <see cref="ConfigValues.Merge"/> of it and the given keys, in one transaction.</summary>
    public Task<ConfigOption> MergeConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op)
    {
        op.Log.Verbose($"Merging {values.Count} keys into config option {store}/{option}");
        return db.WriteAsync(async tx =>
        {
            await using var select = db.Command(tx, "SelectConfigOption", "SELECT data FROM config WHERE store = $store AND option = $option",
                [store, option], op);
            var stored = await select.ExecuteScalarAsync(op.Token).ConfigureAwait(false) is string json
                ? ConfigJson.Deserialize(json, $"{store}/{option}", op.Log.Warning)
                : ConfigValues.Create();
            return await UpsertOption(tx, store, option, ConfigValues.Merge(stored, values), op).ConfigureAwait(false);
        }, op);
    }

    public Task<bool> DeleteConfigOptionAsync(string store, string option, OpContext op)
    {
        op.Log.Verbose($"Deleting config option {store}/{option}");
        return db.WriteAsync(async tx => await db.ExecuteAsync(tx, "DeleteConfigOption", "DELETE FROM config WHERE store = $store AND option = $option",
            [store, option], op).ConfigureAwait(false) > 0, op);
    }

    private async Task<ConfigOption> UpsertOption(SqliteTransaction tx, string store, string option, OrderedDictionary values, OpContext op)
    {
        await db.ExecuteAsync(tx, "UpsertConfigOption", "INSERT OR REPLACE INTO config (store, option, data) VALUES ($store, $option, $data)",
            [store, option, ConfigJson.Serialize(values)], op).ConfigureAwait(false);
        return new ConfigOption { Store = store, Option = option, Values = values };
    }

    private static ConfigOption ReadOption(SqliteDataReader r, OpContext op)
    {
        var store = r.GetString(0);
        var option = r.GetString(1);
        return new ConfigOption { Store = store, Option = option, Values = ConfigJson.Deserialize(r.GetString(2), $"{store}/{option}", op.Log.Warning) };
    }
}
