using System.Collections;
using System.Collections.Specialized;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Cimaa.Config;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// Configuration options in <c>&lt;prefix&gt;config</c>, as dynamodb-config-store keeps them: hash key <c>_store</c>, range key
/// <c>_option</c> (both names configurable), and every other attribute is one key of the option.
/// </summary>
public sealed partial class DynamoDbStore
{
    private volatile bool _configTableChecked;

    public async IAsyncEnumerable<ConfigOption> GetConfigOptionsAsync(string store, bool consistentRead, OpContext op)
    {
        await EnsureConfigTableAsync(op);
        var table = Settings.ConfigTable;
        op.Log.Verbose($"Querying {table} for store {store}");
        var request = new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "#s = :s",
            ExpressionAttributeNames = new() { ["#s"] = Settings.ConfigStoreKey },
            ExpressionAttributeValues = new() { [":s"] = S(store) },
            ConsistentRead = consistentRead,
        };
        await foreach (var item in QueryAsync(request, op)) yield return ToOption(item, op);
    }

    public async IAsyncEnumerable<string> GetConfigStoreNamesAsync(OpContext op)
    {
        await EnsureConfigTableAsync(op);
        var request = new ScanRequest
        {
            TableName = Settings.ConfigTable,
            ProjectionExpression = "#s",
            ExpressionAttributeNames = new() { ["#s"] = Settings.ConfigStoreKey },
        };
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var item in ScanAsync(request, op))
        {
            if (Str(item, Settings.ConfigStoreKey) is { } name) names.Add(name);
        }
        foreach (var name in names) yield return name;
    }

    public async Task<ConfigOption?> GetConfigOptionAsync(string store, string option, bool consistentRead, OpContext op)
    {
        await EnsureConfigTableAsync(op);
        var table = Settings.ConfigTable;
        op.Log.Verbose($"Reading option {store}/{option} from {table}");
        var response = await _caller.ReadAsync("GetItem", table, t => _client.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = ConfigKey(store, option),
            ConsistentRead = consistentRead,
        }, t), op);
        return response.Item is { Count: > 0 } item ? ToOption(item, op) : null;
    }

    public async Task<ConfigOption> PutConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op)
    {
        await EnsureConfigTableAsync(op);
        var table = Settings.ConfigTable;
        op.Log.Verbose($"Writing option {store}/{option} to {table} ({values.Count} keys)");
        var item = ConfigKey(store, option);
        foreach (DictionaryEntry e in values) item[(string)e.Key] = ToAttribute(e.Value);
        await WithItemSizeCheck(PutItem(table, item, op), store, option);
        return new ConfigOption { Store = store, Option = option, Values = values };
    }

    public async Task<ConfigOption> MergeConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op)
    {
        await EnsureConfigTableAsync(op);
        var table = Settings.ConfigTable;
        op.Log.Verbose($"Merging {values.Count} keys into option {store}/{option} in {table}");
        var request = new UpdateItemRequest { TableName = table, Key = ConfigKey(store, option), ReturnValues = ReturnValue.ALL_NEW };
        if (values.Count > 0)
        {
            var names = new Dictionary<string, string>();
            var attrs = new Dictionary<string, AttributeValue>();
            var sets = new List<string>();
            var i = 0;
            foreach (DictionaryEntry e in values)
            {
                names[$"#k{i}"] = (string)e.Key;
                attrs[$":v{i}"] = ToAttribute(e.Value);
                sets.Add($"#k{i} = :v{i}");
                i++;
            }
            request.UpdateExpression = "SET " + string.Join(", ", sets);
            request.ExpressionAttributeNames = names;
            request.ExpressionAttributeValues = attrs;
        }
        var response = await WithItemSizeCheck(
            _caller.WriteAsync("UpdateItem", table, t => _client.UpdateItemAsync(request, t), op), store, option);
        var stored = response.Attributes ?? ConfigKey(store, option);

        // DynamoDB attribute names are case-sensitive, option keys are not: the given spelling replaces one that differs only in case.
        var given = values.Keys.Cast<string>().ToList();
        var stale = stored.Keys
            .Where(name => name != Settings.ConfigStoreKey && name != Settings.ConfigOptionKey
                && !given.Contains(name, StringComparer.Ordinal) && given.Contains(name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (stale.Count > 0)
        {
            op.Log.Verbose($"Removing {stale.Count} keys of {store}/{option} that differ only in case from the given ones");
            var remove = new UpdateItemRequest
            {
                TableName = table,
                Key = ConfigKey(store, option),
                UpdateExpression = "REMOVE " + string.Join(", ", stale.Select((_, n) => $"#r{n}")),
                ExpressionAttributeNames = stale.Select((name, n) => (name, n)).ToDictionary(x => $"#r{x.n}", x => x.name),
            };
            await _caller.WriteAsync("UpdateItem", table, t => _client.UpdateItemAsync(remove, t), op);
            foreach (var name in stale) stored.Remove(name);
        }
        return ToOption(stored, op, store, option);
    }

    public async Task<bool> DeleteConfigOptionAsync(string store, string option, OpContext op)
    {
        await EnsureConfigTableAsync(op);
        op.Log.Verbose($"Deleting option {store}/{option} from {Settings.ConfigTable}");
        return await DeleteAsync(Settings.ConfigTable, ConfigKey(store, option), op);
    }

    /// <summary>
    /// Checks the config table once per store object with one DescribeTable: a wrong key schema is MisconfiguredSchema,
    /// a table that is not ACTIVE is TableNotReady (checked again next time), a missing one TableNotFound.
    /// </summary>
    private async Task EnsureConfigTableAsync(OpContext op)
    {
        if (_configTableChecked) return;
        var spec = TableSpec.For(Settings)[2];
        op.Log.Verbose($"Checking the key schema of {spec.Name}");
        var found = await DescribeAsync(spec.Name, op) ?? throw new CimaaException(ErrorIds.TableNotFound, CimaaErrorCategory.ObjectNotFound,
            $"The table '{spec.Name}' does not exist; run Initialize-CimaaTable.", spec.Name);
        ValidateKeys(spec, found);
        if (found.TableStatus != Amazon.DynamoDBv2.TableStatus.ACTIVE)
        {
            throw new CimaaException(ErrorIds.TableNotReady, CimaaErrorCategory.ResourceUnavailable,
                $"Table '{spec.Name}' is {found.TableStatus?.Value ?? "in an unknown state"}; expected ACTIVE.", spec.Name);
        }
        _configTableChecked = true;
    }

    private Task<PutItemResponse> PutItem(string table, Dictionary<string, AttributeValue> item, OpContext op) =>
        _caller.WriteAsync("PutItem", table, t => _client.PutItemAsync(new PutItemRequest(table, item), t), op);

    private Dictionary<string, AttributeValue> ConfigKey(string store, string option) =>
        new() { [Settings.ConfigStoreKey] = S(store), [Settings.ConfigOptionKey] = S(option) };

    private ConfigOption ToOption(Dictionary<string, AttributeValue> item, OpContext op, string? store = null, string? option = null)
    {
        store ??= Str(item, Settings.ConfigStoreKey) ?? "";
        option ??= Str(item, Settings.ConfigOptionKey) ?? "";
        var where = $"{store}/{option}";
        var pairs = item.Where(a => a.Key != Settings.ConfigStoreKey && a.Key != Settings.ConfigOptionKey)
            .Select(a => new KeyValuePair<string, object?>(a.Key, FromAttribute(a.Value, where, op.Log.Warning)))
            .ToList();
        return new ConfigOption { Store = store, Option = option, Values = ConfigValues.FromPairs(pairs, where, op.Log.Warning) };
    }

    /// <summary>A normalized value (null, string, bool, long or decimal, list, map) as a DynamoDB attribute: NULL, S, BOOL, N, L, M.</summary>
    internal static AttributeValue ToAttribute(object? value) => value switch
    {
        null => new AttributeValue { NULL = true },
        string s => new AttributeValue { S = s },
        bool b => new AttributeValue { BOOL = b },
        long l => new AttributeValue { N = ConfigValues.FormatNumber(l) },
        decimal m => new AttributeValue { N = ConfigValues.FormatNumber(m) },
        double d => new AttributeValue { N = d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) },
        IDictionary map => new AttributeValue
        {
            M = map.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => ToAttribute(e.Value)),
        },
        IEnumerable list => new AttributeValue { L = list.Cast<object?>().Select(ToAttribute).ToList() },
        _ => throw new CimaaException(ErrorIds.InvalidConfigValue, CimaaErrorCategory.InvalidArgument,
            $"A {value.GetType().FullName} cannot be stored.", value),
    };

    /// <summary>Any DynamoDB attribute as a value: sets read as lists, binary as byte[].</summary>
    internal static object? FromAttribute(AttributeValue a, string where, Action<string>? warn)
    {
        if (a.NULL == true) return null;
        if (a.S is not null) return a.S;
        if (a.N is not null) return ConfigValues.ParseNumber(a.N);
        if (a.BOOL is { } b) return b;
        if (a.M is not null)
        {
            return ConfigValues.FromPairs(a.M.Select(p => new KeyValuePair<string, object?>(p.Key, FromAttribute(p.Value, where, warn))).ToList(), where, warn);
        }
        if (a.L is not null) return a.L.Select(x => FromAttribute(x, where, warn)).ToArray();
        if (a.SS is not null) return a.SS.Cast<object?>().ToArray();
        if (a.NS is not null) return a.NS.Select(n => (object?)ConfigValues.ParseNumber(n)).ToArray();
        if (a.B is not null) return a.B.ToArray();
        if (a.BS is not null) return a.BS.Select(s => (object?)s.ToArray()).ToArray();
        return null;
    }

    /// <summary>An item over DynamoDB's 400 KB is a value that cannot be stored.</summary>
    private static async Task<T> WithItemSizeCheck<T>(Task<T> write, string store, string option)
    {
        try
        {
            return await write;
        }
        catch (CimaaException e) when (e.ErrorId == ErrorIds.DynamoDbError && e.InnerException is AmazonDynamoDBException inner
            && inner.Message.Contains("size", StringComparison.OrdinalIgnoreCase))
        {
            throw new CimaaException(ErrorIds.InvalidConfigValue, CimaaErrorCategory.InvalidArgument,
                $"The option {store}/{option} cannot be stored: {inner.Message}", option, e);
        }
    }
}
