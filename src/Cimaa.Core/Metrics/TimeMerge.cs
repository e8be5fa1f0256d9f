using System.Runtime.CompilerServices;

namespace Cimaa.Metrics;

/// <summary>The merge of time-ordered streams that both query paths (MetricMath's aggregate, KairosDB's merge) stand on.</summary>
public static class TimeMerge
{
    /// <summary>
    /// Merges time-ordered streams into one, in time order; equal times keep the order of the streams. Holds the head of each
    /// stream. The first item of every stream is read, all at once, before the first item is given.
    /// </summary>
    public static async IAsyncEnumerable<T> InTimeOrder<T>(IReadOnlyList<IAsyncEnumerable<T>> streams, Func<T, long> timeOf,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (streams.Count == 1)
        {
            await foreach (var v in streams[0].WithCancellation(ct).ConfigureAwait(false)) yield return v;
            yield break;
        }
        var enumerators = streams.Select(s => s.GetAsyncEnumerator(ct)).ToArray();
        try
        {
            var heads = new PriorityQueue<int, (long Time, int Index)>();
            // Start every stream at once, so that their first reads run in parallel.
            var first = enumerators.Select(e => e.MoveNextAsync().AsTask()).ToArray();
            for (var i = 0; i < first.Length; i++)
            {
                if (await first[i].ConfigureAwait(false)) heads.Enqueue(i, (timeOf(enumerators[i].Current), i));
            }
            while (heads.TryDequeue(out var i, out var key))
            {
                yield return enumerators[i].Current;
                if (!await enumerators[i].MoveNextAsync().ConfigureAwait(false)) continue;
                var next = timeOf(enumerators[i].Current);
                if (next < key.Time) throw new InvalidOperationException("A stream is not in time order.");
                heads.Enqueue(i, (next, i));
            }
        }
        finally
        {
            foreach (var e in enumerators) await e.DisposeAsync().ConfigureAwait(false);
        }
    }
}
