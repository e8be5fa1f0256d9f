using System.Collections.Concurrent;

namespace Cimaa;

/// <summary>
/// A small thread-safe cache of values by key, each kept for a lifetime on a clock (the client's). One per client, so what it
/// holds dies with the connection; tab completion keeps its values here.
/// </summary>
public sealed class ExpiringCache(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(DateTimeOffset LoadedAt, object? Value);

    /// <summary>
    /// The value cached under <paramref name="key"/> while it is younger than <paramref name="lifetime"/> (and the clock has
    /// not gone back past its load), else the result of <paramref name="load"/>, which is kept. A failed load keeps nothing.
    /// </summary>
    public T GetOrLoad<T>(string key, TimeSpan lifetime, Func<T> load)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Value is T value && now - entry.LoadedAt < lifetime && now >= entry.LoadedAt)
        {
            return value;
        }
        var loaded = load();
        _entries[key] = new Entry(now, loaded);
        return loaded;
    }

    /// <summary>Forgets everything.</summary>
    public void Clear() => _entries.Clear();
}
