using System.Collections.Specialized;

namespace Cimaa.Storage;

/// <summary>
/// The configuration store, in dynamodb-config-store's layout: one item per (store, option). A store only reads and writes;
/// value rules and the time-based cache live in <see cref="Config.ConfigService"/>.
/// </summary>
public interface IConfigStore
{
    /// <summary>Every option of one store, sorted by option (one Query on DynamoDB).</summary>
    IAsyncEnumerable<ConfigOption> GetConfigOptionsAsync(string store, bool consistentRead, OpContext op);

    /// <summary>The names of the stores in the table, sorted and distinct (a keys-only Scan on DynamoDB; for completion).</summary>
    IAsyncEnumerable<string> GetConfigStoreNamesAsync(OpContext op);

    /// <summary>One option, or null when it does not exist.</summary>
    Task<ConfigOption?> GetConfigOptionAsync(string store, string option, bool consistentRead, OpContext op);

    /// <summary>Replaces the whole option with <paramref name="values"/> (normalized), and returns what is stored.</summary>
    Task<ConfigOption> PutConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op);

    /// <summary>Sets only the given keys, creating the option when missing, and returns the whole stored option.</summary>
    Task<ConfigOption> MergeConfigOptionAsync(string store, string option, OrderedDictionary values, OpContext op);

    /// <summary>Deletes one option; false when it did not exist.</summary>
    Task<bool> DeleteConfigOptionAsync(string store, string option, OpContext op);
}
