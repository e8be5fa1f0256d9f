namespace Cimaa.Kairos;

/// <summary>
/// One result's streams. Group is the group_by tag values (a missing tag as ""), null without group_by; Tags maps each tag
/// key of the streams to its sorted distinct values, as KairosDB lists them in a result.
/// </summary>
public sealed record KairosGroup<T>(IReadOnlyDictionary<string, string>? Group, SortedDictionary<string, SortedSet<string>> Tags,
    IReadOnlyList<T> Streams);

/// <summary>KairosDB's grouping: without group_by every stream is in one group; with group_by tags, one group per distinct value set.</summary>
public static class KairosGrouping
{
    /// <summary>The groups, sorted by their values (ordinal); no streams give no group.</summary>
    public static IReadOnlyList<KairosGroup<T>> Group<T>(IEnumerable<T> streams, Func<T, IReadOnlyDictionary<string, string>> tagsOf,
        IReadOnlyList<string> groupBy)
    {
        var groups = new SortedDictionary<string[], List<T>>(ValuesComparer.Instance);
        foreach (var s in streams)
        {
            var tags = tagsOf(s);
            var key = groupBy.Select(k => tags.TryGetValue(k, out var v) ? v : "").ToArray();
            if (!groups.TryGetValue(key, out var members)) groups[key] = members = [];
            members.Add(s);
        }
        return groups.Select(g => new KairosGroup<T>(
            groupBy.Count == 0 ? null : groupBy.Select((k, i) => (k, v: g.Key[i])).ToDictionary(x => x.k, x => x.v, StringComparer.Ordinal),
            Multimap(g.Value.Select(tagsOf)),
            g.Value)).ToList();
    }

    public static SortedDictionary<string, SortedSet<string>> Multimap(IEnumerable<IReadOnlyDictionary<string, string>> tagSets)
    {
        var map = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var tags in tagSets)
        {
            foreach (var (k, v) in tags)
            {
                if (!map.TryGetValue(k, out var values)) map[k] = values = new SortedSet<string>(StringComparer.Ordinal);
                values.Add(v);
            }
        }
        return map;
    }

    private sealed class ValuesComparer : IComparer<string[]>
    {
        public static readonly ValuesComparer Instance = new();

        public int Compare(string[]? x, string[]? y)
        {
            for (var i = 0; i < Math.Min(x!.Length, y!.Length); i++)
            {
                var c = string.CompareOrdinal(x[i], y[i]);
                if (c != 0) return c;
            }
            return x.Length.CompareTo(y.Length);
        }
    }
}
