using System.Collections.Concurrent;

namespace Cimaa.Storage;

/// <summary>Counts requests by operation. Thread-safe.</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public long this[string operation] => _counts.TryGetValue(operation, out var n) ? n : 0;

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    public void Add(string operation)
    {
        Interlocked.Increment(ref _total);
        _counts.AddOrUpdate(operation, 1, static (_, n) => n + 1);
    }

    public void Reset()
    {
        _counts.Clear();
        Interlocked.Exchange(ref _total, 0);
    }
}
