using System.Runtime.CompilerServices;

namespace Cimaa;

public static class AsyncStreams
{
    /// <summary>
    /// Maps each source item with up to <paramref name="degree"/> calls in flight and yields the results in source order.
    /// At most <paramref name="degree"/> results are held at once.
    /// </summary>
    public static async IAsyncEnumerable<TResult> SelectOrderedAsync<TSource, TResult>(this IEnumerable<TSource> source, int degree,
        Func<TSource, CancellationToken, Task<TResult>> map, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var window = new Queue<Task<TResult>>();
        using var e = source.GetEnumerator();
        try
        {
            while (true)
            {
                while (window.Count < degree && e.MoveNext()) window.Enqueue(map(e.Current, cts.Token));
                if (window.Count == 0) yield break;
                yield return await window.Dequeue().ConfigureAwait(false);
            }
        }
        finally
        {
            cts.Cancel();
            foreach (var pending in window)
            {
                try { await pending.ConfigureAwait(false); } catch { /* the consumer stopped or failed; already reported */ }
            }
        }
    }

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source, CancellationToken ct = default)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(ct).ConfigureAwait(false)) list.Add(item);
        return list;
    }
}
