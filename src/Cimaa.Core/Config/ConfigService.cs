using System.Collections;
using System.Collections.Specialized;
using Cimaa.Storage;

namespace Cimaa.Config;

/// <summary>What Get-CimaaConfig asks for.</summary>
/// <param name="Options">The options, in the order wanted; null for every option of the store, sorted.</param>
/// <param name="Keys">Only these keys (case-insensitive); null for every key.</param>
/// <param name="MaxAge">Serve from the cache of the whole store while it is younger than this; null reads every time.</param>
public sealed record ConfigQuery(string Store, IReadOnlyList<string>? Options = null, IReadOnlyList<string>? Keys = null,
    TimeSpan? MaxAge = null, bool ConsistentRead = false);

/// <summary>
/// The configuration store's rules above the store: value checks, key selection, missing options, and the time-based
/// cache (dynamodb-config-store's TimeBasedConfigStore). One service, and one cache, per client (per connection).
/// </summary>
/// <param name="storeKey">The config table's hash key attribute, a reserved key name.</param>
/// <param name="optionKey">The config table's range key attribute, a reserved key name.</param>
public sealed class ConfigService(IConfigStore configStore, TimeProvider clock, string storeKey = "_store", string optionKey = "_option")
{
    private readonly IConfigStore _store = configStore;
    private readonly object _gate = new();
    private readonly Dictionary<string, CachedStore> _cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _generations = new(StringComparer.Ordinal);

    private sealed record CachedStore(DateTimeOffset LoadedAt, IReadOnlyList<ConfigOption> Options, IReadOnlyDictionary<string, ConfigOption> ByName);

    /// <summary>
    /// The options asked for, each a copy the caller may change. A missing option is reported to <paramref name="missing"/>
    /// as ConfigOptionNotFound and the others still come.
    /// </summary>
    public async IAsyncEnumerable<ConfigOption> GetAsync(ConfigQuery query, Action<CimaaException> missing, OpContext op)
    {
        CheckName(query.Store, "store");
        if (query.MaxAge is { } maxAge)
        {
            var cached = await LoadCachedAsync(query.Store, maxAge, query.ConsistentRead, op);
            if (query.Options is null)
            {
                foreach (var o in cached.Options) yield return Shape(o, query.Keys, copy: true);
                yield break;
            }
            foreach (var name in query.Options)
            {
                if (cached.ByName.TryGetValue(name, out var o)) yield return Shape(o, query.Keys, copy: true);
                else missing(NotFound(query.Store, name));
            }
            yield break;
        }
        if (query.Options is null)
        {
            await foreach (var o in _store.GetConfigOptionsAsync(query.Store, query.ConsistentRead, op)) yield return Shape(o, query.Keys, copy: false);
            yield break;
        }
        foreach (var name in query.Options)
        {
            CheckName(name, "option");
            var o = await _store.GetConfigOptionAsync(query.Store, name, query.ConsistentRead, op);
            if (o is null) missing(NotFound(query.Store, name));
            else yield return Shape(o, query.Keys, copy: false);
        }
    }

    /// <summary>Checks and normalizes values for a write; throws InvalidConfigValue. Nothing is written.</summary>
    public OrderedDictionary Validate(string store, string option, IDictionary values)
    {
        CheckName(store, "store");
        CheckName(option, "option");
        return ConfigValues.Normalize(values, storeKey, optionKey);
    }

    /// <summary>Replaces the option (or, with <paramref name="merge"/>, sets only the given keys) and invalidates the store's cache.</summary>
    public async Task<ConfigOption> SetAsync(string store, string option, IDictionary values, bool merge, OpContext op)
    {
        var normalized = Validate(store, option, values);
        try
        {
            return merge
                ? await _store.MergeConfigOptionAsync(store, option, normalized, op)
                : await _store.PutConfigOptionAsync(store, option, normalized, op);
        }
        finally
        {
            Invalidate(store);
            op.AfterCommit(() => Invalidate(store));
        }
    }

    /// <summary>Deletes one option and invalidates the store's cache; ConfigOptionNotFound when it did not exist.</summary>
    public async Task RemoveAsync(string store, string option, OpContext op)
    {
        CheckName(store, "store");
        CheckName(option, "option");
        try
        {
            if (!await _store.DeleteConfigOptionAsync(store, option, op).ConfigureAwait(false)) throw NotFound(store, option);
        }
        finally
        {
            Invalidate(store);
            op.AfterCommit(() => Invalidate(store));
        }
    }

    /// <summary>Drops the cached copy of one store; a load that was under way is not kept.</summary>
    public void Invalidate(string store)
    {
        lock (_gate)
        {
            _cache.Remove(store);
            _generations[store] = _generations.GetValueOrDefault(store) + 1;
        }
    }

    public static CimaaException NotFound(string store, string option) =>
        new(ErrorIds.ConfigOptionNotFound, CimaaErrorCategory.ObjectNotFound,
            $"The option '{option}' does not exist in the configuration store '{store}'.", option);

    private async Task<CachedStore> LoadCachedAsync(string store, TimeSpan maxAge, bool consistentRead, OpContext op)
    {
        long generation;
        lock (_gate)
        {
            if (_cache.TryGetValue(store, out var hit))
            {
                var age = clock.GetUtcNow() - hit.LoadedAt;
                if (age < maxAge)
                {
                    op.Log.Verbose($"Serving store {store} from the cache ({age.TotalSeconds:0} s old, {hit.Options.Count} options)");
                    return hit;
                }
            }
            generation = _generations.GetValueOrDefault(store);
        }
        var loadedAt = clock.GetUtcNow();
        var options = new List<ConfigOption>();
        await foreach (var o in _store.GetConfigOptionsAsync(store, consistentRead, op)) options.Add(o);
        var loaded = new CachedStore(loadedAt, options, options.ToDictionary(o => o.Option, StringComparer.Ordinal));
        lock (_gate)
        {
            if (_generations.GetValueOrDefault(store) == generation) _cache[store] = loaded;
        }
        op.Log.Verbose($"Cached store {store} ({options.Count} options)");
        return loaded;
    }

    private static ConfigOption Shape(ConfigOption o, IReadOnlyList<string>? keys, bool copy)
    {
        var values = ConfigValues.Select(o.Values, keys);
        if (copy) values = ConfigValues.Copy(values);
        return ReferenceEquals(values, o.Values) ? o : new ConfigOption { Store = o.Store, Option = o.Option, Values = values };
    }

    internal static void CheckName(string? name, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new CimaaException(ErrorIds.InvalidConfigValue, CimaaErrorCategory.InvalidArgument,
                $"The {what} name must not be empty.", name);
        }
    }
}
