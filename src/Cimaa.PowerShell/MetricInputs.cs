using System.Collections;
using System.Globalization;

namespace Cimaa.PowerShell;

/// <summary>Metric tags as Core takes them, from what a script gives (<see cref="PSValues.Unwrap"/> first).</summary>
internal static class MetricInputs
{
    /// <summary>The tag pairs of a dictionary, with wrappers removed.</summary>
    public static List<KeyValuePair<object?, object?>>? Pairs(IDictionary? tags)
    {
        if (tags is null) return null;
        var pairs = new List<KeyValuePair<object?, object?>>();
        foreach (DictionaryEntry e in tags) pairs.Add(new(PSValues.Unwrap(e.Key), PSValues.Unwrap(e.Value)));
        return pairs;
    }

    /// <summary>A tag filter: each key with one value, or several (an array).</summary>
    public static Dictionary<string, string[]>? Filter(IDictionary? tags)
    {
        if (tags is null) return null;
        var filter = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in tags)
        {
            var key = Text(PSValues.Unwrap(e.Key));
            var value = PSValues.Unwrap(e.Value);
            filter[key] = value is string s ? [s] : value is IEnumerable many ? many.Cast<object?>().Select(Text).ToArray() : [Text(value)];
        }
        return filter;
    }

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
