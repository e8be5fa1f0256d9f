using System.Collections.Concurrent;

namespace Cimaa.Metrics;

/// <summary>
/// The index entries a client has written, so that each is written once per process (per connection): a thread-safe set,
/// cleared when it grows past its bound.
/// </summary>
public sealed class MetricIndexCache
{
    private const int MaxEntries = 200_000;
    private readonly ConcurrentDictionary<(string, string), byte> _written = new();

    public bool Contains(string dm, string bt) => _written.ContainsKey((dm, bt));

    public void Add(string dm, string bt)
    {
        if (_written.Count >= MaxEntries) _written.Clear();
        _written.TryAdd((dm, bt), 0);
    }

    public int Count => _written.Count;

    public void Clear() => _written.Clear();
}
