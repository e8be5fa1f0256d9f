using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Cimaa.PowerShell;

/// <summary>Turns PowerShell values (PSObject wrappers, [pscustomobject]) into plain .NET values before Core sees them.</summary>
internal static class MetricInputs
{
    /// <summary>[pscustomobject] becomes an ordered dictionary of its properties; dictionaries and arrays are converted item by item.</summary>
    public static object? ToPlain(object? value, int depth = 0)
    {
        if (depth > 32) return value?.ToString();
        if (value is PSObject ps)
        {
            if (ps.BaseObject is PSCustomObject)
            {
                var d = new OrderedDictionary(StringComparer.Ordinal);
                foreach (var p in ps.Properties) d[p.Name] = ToPlain(p.Value, depth + 1);
                return d;
            }
            value = ps.BaseObject;
        }
        switch (value)
        {
            case null or string: return value;
            case IDictionary dict:
                var copy = new OrderedDictionary();
                foreach (DictionaryEntry e in dict) copy[ToPlain(e.Key, depth + 1) ?? ""] = ToPlain(e.Value, depth + 1);
                return copy;
            case IEnumerable list:
                return list.Cast<object?>().Select(item => ToPlain(item, depth + 1)).ToArray();
            default:
                return value;
        }
    }

    /// <summary>The tag pairs of a dictionary, with wrappers removed.</summary>
    public static List<KeyValuePair<object?, object?>>? Pairs(IDictionary? tags)
    {
        if (tags is null) return null;
        var pairs = new List<KeyValuePair<object?, object?>>();
        foreach (DictionaryEntry e in tags) pairs.Add(new(Unwrap(e.Key), Unwrap(e.Value)));
        return pairs;
    }

    /// <summary>A tag filter: each key with one value, or several (an array).</summary>
    public static Dictionary<string, string[]>? Filter(IDictionary? tags)
    {
        if (tags is null) return null;
        var filter = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in tags)
        {
            var key = Convert.ToString(Unwrap(e.Key), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            var value = Unwrap(e.Value);
            filter[key] = value is string s ? [s]
                : value is IEnumerable many ? many.Cast<object?>().Select(v => Convert.ToString(Unwrap(v), System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray()
                : [Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""];
        }
        return filter;
    }

    public static object? Unwrap(object? o) => o is PSObject ps ? ps.BaseObject : o;
}
