using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Cimaa.PowerShell.Completers;

/// <summary>
/// Completion values per connection and completer kind, kept for <see cref="Lifetime"/> on the connection's clock, so
/// pressing Tab repeatedly sends one read per 30 seconds. Entries die with their connection (weak keys).
/// </summary>
public sealed class CompletionCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>The cache the completers use.</summary>
    public static CompletionCache Shared { get; } = new();

    private readonly ConditionalWeakTable<object, ConcurrentDictionary<string, Entry>> _entries = new();

    private sealed record Entry(DateTimeOffset LoadedAt, IReadOnlyList<string> Values);

    /// <summary>
    /// The cached values of <paramref name="kind"/> for <paramref name="connection"/>, or, when there are none or they are
    /// <see cref="Lifetime"/> old on <paramref name="clock"/>, the result of <paramref name="load"/>. A failed load caches nothing.
    /// </summary>
    public IReadOnlyList<string> Get(object connection, string kind, TimeProvider clock, Func<IReadOnlyList<string>> load)
    {
        var byKind = _entries.GetValue(connection, _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
        var now = clock.GetUtcNow();
        if (byKind.TryGetValue(kind, out var entry) && now - entry.LoadedAt < Lifetime && now >= entry.LoadedAt) return entry.Values;
        var values = load();
        byKind[kind] = new Entry(now, values);
        return values;
    }

    /// <summary>Forgets everything cached for a connection.</summary>
    public void Clear(object connection) => _entries.Remove(connection);
}
