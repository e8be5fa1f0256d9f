using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace Cimaa.PowerShell;

/// <summary>
/// Turns what a script passes to Set-CimaaConfig -Value into plain .NET values for Core: PSObject wrappers are removed,
/// [pscustomobject]s become maps of their properties, dictionaries stay maps and other collections become arrays.
/// Core then decides what can be stored.
/// </summary>
internal static class ConfigInput
{
    private const int MaxDepth = 64;

    public static IDictionary Unwrap(IDictionary values) => (IDictionary)UnwrapValue(values, 0)!;

    private static object? UnwrapValue(object? value, int depth)
    {
        if (depth > MaxDepth) return value; // Core rejects anything this deep
        if (value is PSObject ps)
        {
            if (ps.BaseObject is PSCustomObject)
            {
                var map = new OrderedDictionary(StringComparer.Ordinal);
                foreach (var p in ps.Properties)
                {
                    if (p.IsGettable) map[p.Name] = UnwrapValue(p.Value, depth + 1);
                }
                return map;
            }
            value = ps.BaseObject;
        }
        switch (value)
        {
            case null:
                return null;
            case string or byte[]:
                return value;
            case IDictionary dictionary:
                var copy = new OrderedDictionary(StringComparer.Ordinal);
                foreach (DictionaryEntry e in dictionary)
                {
                    var key = e.Key is PSObject k ? k.BaseObject : e.Key;
                    if (copy.Contains(key)) continue;
                    copy.Add(key, UnwrapValue(e.Value, depth + 1));
                }
                return copy;
            case IEnumerable list:
                var items = new List<object?>();
                foreach (var item in list) items.Add(UnwrapValue(item, depth + 1));
                return items.ToArray();
            default:
                return value == System.Management.Automation.Internal.AutomationNull.Value ? null : value;
        }
    }
}
