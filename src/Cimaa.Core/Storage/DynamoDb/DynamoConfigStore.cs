using System.Collections;
using System.Collections.Specialized;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Cimaa.Config;
using static Cimaa.Storage.DynamoDb.DynamoItems;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// Configuration options in <c>&lt;prefix&gt;config</c>, as dynamodb-config-store keeps them: hash key <c>_store</c>, range key
/// <c>_option</c> (both names configurable), and every other attribute is one key of the option (<see cref="DynamoConfigValues"/>).
/// </summary>
internal sealed class DynamoConfigStore(DynamoTableClient table) : IConfigStore
{
    private volatile bool _configTableChecked;

    private ConnectionSettings Settings => table.Settings;
    private string Table => Settings.ConfigTable;

    public async IAsyncEnumerable<ConfigOption> GetConfigOptionsAsync(string store, bool consistentRead, OpContext op)
    {
        await EnsureConfigTableAsync(op).ConfigureAwait(false);
        op.Log.Verbose($"Querying {Table} for store {store}");
        var request = new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "#s = :s",
            ExpressionAttributeNames = new() { ["#s"] = Settings.ConfigStoreKey },
            ExpressionAttributeValues = new() { [":s"] = S(store) },
            ConsistentRead = consistentRead,
        };
        await foreach (var item in table.QueryAsync(request, op).ConfigureAwait(false)) yield return ToOption(item, op);
    }

    public async IAsyncEnumerable<string> GetConfigStoreNamesAsync(OpContext op)
    {
        await EnsureConfigTableAsync(op).ConfigureAwait(false);
        var request = new ScanRequest
        {
            TableName = Table,
            ProjectionExpression = "#s",
            ExpressionAttributeNames = new() { ["#s"] = Settings.ConfigStoreKey },
        };
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var item in table.ScanAsync(request, op).ConfigureAwait(false))
        {
            if (Str(item, Settings.ConfigStoreKey) is { } name) names.Add(name);
        }
        foreach (var name in names) yield return name;
    }

    public async Task<ConfigOption?> GetConfigOptionAsync(string store, string option, bool consistentRead, OpContext op)
    {
        await EnsureConfigTableAsync(op).ConfigureAwait(false);
        op.Log.Verbose($"Reading option {store}/{option} from {Table}");
        var item = await table.GetAsync(Table, ConfigKey(store, option), consistentRead, op).ConfigureAwait(false);
        return item is null ? null : ToOption(item, op);
    }

    public async Task<ConfigOption> PutConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op)
    {
        await EnsureConfigTableAsync(op).ConfigureAwait(false);
        op.Log.Verbose($"Writing option {store}/{option} to {Table} ({values.Count} keys)");
        var item = ConfigKey(store, option);
        foreach (DictionaryEntry e in values) item[(string)e.Key] = DynamoConfigValues.ToAttribute(e.Value);
        await WithItemSizeCheck(table.PutAsync(Table, item, op), store, option).ConfigureAwait(false);
        return new ConfigOption { Store = store, Option = option, Values = values };
    }

    /// <summary>
    /// One UpdateItem SET of the given keys; then, since DynamoDB attribute names are case-sensitive and option keys are not,
    /// one UpdateItem REMOVE of the keys <see cref="ConfigValues.OtherSpellings"/> names (only when there are any).
    /// </summary>
    public async Task<ConfigOption> MergeConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op)
    {
        await EnsureConfigTableAsync(op).ConfigureAwait(false);
        op.Log.Verbose($"Merging {values.Count} keys into option {store}/{option} in {Table}");
        var request = new UpdateItemRequest { TableName = Table, Key = ConfigKey(store, option), ReturnValues = ReturnValue.ALL_NEW };
        if (values.Count > 0)
        {
            var names = new Dictionary<string, string>();
            var attrs = new Dictionary<string, AttributeValue>();
            var sets = new List<string>();
            var i = 0;
            foreach (DictionaryEntry e in values)
            {
                names[$"#k{i}"] = (string)e.Key;
                attrs[$":v{i}"] = DynamoConfigValues.ToAttribute(e.Value);
                sets.Add($"#k{i} = :v{i}");
                i++;
            }
            request.UpdateExpression = "SET " + string.Join(", ", sets);
            request.ExpressionAttributeNames = names;
            request.ExpressionAttributeValues = attrs;
        }
        var response = await WithItemSizeCheck(Update(request, op), store, option).ConfigureAwait(false);
        var stored = response.Attributes ?? ConfigKey(store, option);

        var stale = ConfigValues.OtherSpellings(stored.Keys.Where(name => !IsKeyAttribute(name)), values.Keys.Cast<string>().ToList());
        if (stale.Count > 0)
        {
            op.Log.Verbose($"Removing {stale.Count} keys of {store}/{option} that differ only in case from the given ones");
            await Update(new UpdateItemRequest
            {
                TableName = Table,
                Key = ConfigKey(store, option),
                UpdateExpression = "REMOVE " + string.Join(", ", stale.Select((_, n) => $"#r{n}")),
                ExpressionAttributeNames = stale.Select((name, n) => (name, n)).ToDictionary(x => $"#r{x.n}", x => x.name),
            }, op).ConfigureAwait(false);
            foreach (var name in stale) stored.Remove(name);
        }
        return ToOption(stored, op, store, option);
    }

    public async Task<bool> DeleteConfigOptionAsync(string store, string option, OpContext op)
    {
        await EnsureConfigTableAsync(op).ConfigureAwait(false);
        op.Log.Verbose($"Deleting option {store}/{option} from {Table}");
        return await table.DeleteAsync(Table, ConfigKey(store, option), op).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the config table once per store object with one DescribeTable: a wrong key schema is MisconfiguredSchema,
    /// a table that is not ACTIVE is TableNotReady (checked again next time), a missing one TableNotFound.
    /// </summary>
    private async Task EnsureConfigTableAsync(OpContext op)
    {
        if (_configTableChecked) return;
        var spec = TableSpec.Config(Settings);
        op.Log.Verbose($"Checking the key schema of {spec.Name}");
        var found = await table.DescribeAsync(spec.Name, op).ConfigureAwait(false) ?? throw new CimaaException(ErrorIds.TableNotFound,
            CimaaErrorCategory.ObjectNotFound, $"The table '{spec.Name}' does not exist; run Initialize-CimaaTable.", spec.Name);
        spec.Validate(found);
        if (found.TableStatus != Amazon.DynamoDBv2.TableStatus.ACTIVE)
        {
            throw new CimaaException(ErrorIds.TableNotReady, CimaaErrorCategory.ResourceUnavailable,
                $"Table '{spec.Name}' is {found.TableStatus?.Value ?? "in an unknown state"}; expected ACTIVE.", spec.Name);
        }
        _configTableChecked = true;
    }

    private Task<UpdateItemResponse> Update(UpdateItemRequest request, OpContext op) =>
        table.WriteAsync("UpdateItem", Table, (c, t) => c.UpdateItemAsync(request, t), op);

    private bool IsKeyAttribute(string name) => name == Settings.ConfigStoreKey || name == Settings.ConfigOptionKey;

    private Dictionary<string, AttributeValue> ConfigKey(string store, string option) =>
        new() { [Settings.ConfigStoreKey] = S(store), [Settings.ConfigOptionKey] = S(option) };

    private ConfigOption ToOption(Dictionary<string, AttributeValue> item, OpContext op, string? store = null, string? option = null)
    {
        store ??= Str(item, Settings.ConfigStoreKey) ?? "";
        option ??= Str(item, Settings.ConfigOptionKey) ?? "";
        var where = $"{store}/{option}";
        var pairs = item.Where(a => !IsKeyAttribute(a.Key))
            .Select(a => new KeyValuePair<string, object?>(a.Key, DynamoConfigValues.FromAttribute(a.Value, where, op.Log.Warning)))
            .ToList();
        return new ConfigOption { Store = store, Option = option, Values = ConfigValues.FromPairs(pairs, where, op.Log.Warning) };
    }

    /// <summary>An item over DynamoDB's 400 KB is a value that cannot be stored.</summary>
    private static async Task<T> WithItemSizeCheck<T>(Task<T> write, string store, string option)
    {
        try
        {
            return await write.ConfigureAwait(false);
        }
        catch (CimaaException e) when (e.ErrorId == ErrorIds.DynamoDbError && e.InnerException is AmazonDynamoDBException inner
            && inner.Message.Contains("size", StringComparison.OrdinalIgnoreCase))
        {
            throw new CimaaException(ErrorIds.InvalidConfigValue, CimaaErrorCategory.InvalidArgument,
                $"The option {store}/{option} cannot be stored: {inner.Message}", option, e);
        }
    }
}
