using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Management.Automation.Internal;

namespace Cimaa.PowerShell;

/// <summary>
/// The one unwrapper of PowerShell values, so that Core never sees a PSObject: every value a script passes (a parameter, a
/// record's property, a tag, an option value) goes through <see cref="Unwrap"/> before Core decides what it accepts.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A PSObject becomes its base object; a [pscustomobject] becomes an ordered map of its gettable properties.</item>
/// <item>Dictionaries become ordered maps (ordinal keys, unwrapped; of keys equal once unwrapped the first is kept), other
/// collections object?[], item by item.</item>
/// <item>Strings and byte[] stay whole: byte[] is one binary value, which Core stores as metric JSON or rejects as config.</item>
/// <item>$null and AutomationNull (what an empty pipeline gives) are null.</item>
/// <item>Past <see cref="MaxDepth"/> levels a value is left as it is (base object only); Core rejects anything nested more
/// than 32 levels before it looks that deep.</item>
/// </list>
/// </remarks>
internal static class PSValues
{
    public const int MaxDepth = 64;

    public static object? Unwrap(object? value) => UnwrapAt(value, 0);

    private static object? UnwrapAt(object? value, int depth)
    {
        if (value is null || ReferenceEquals(value, AutomationNull.Value)) return null;
        if (value is PSObject ps)
        {
            if (ps.BaseObject is PSCustomObject && depth < MaxDepth)
            {
                var map = new OrderedDictionary(StringComparer.Ordinal);
                foreach (var p in ps.Properties)
                {
                    if (p.IsGettable && !map.Contains(p.Name)) map.Add(p.Name, UnwrapAt(p.Value, depth + 1));
                }
                return map;
            }
            value = ps.BaseObject;
        }
        if (depth >= MaxDepth) return value;
        switch (value)
        {
            case string or byte[]:
                return value;
            case IDictionary dictionary:
                var copy = new OrderedDictionary(StringComparer.Ordinal);
                foreach (DictionaryEntry e in dictionary)
                {
                    var key = UnwrapAt(e.Key, MaxDepth) ?? "";
                    if (!copy.Contains(key)) copy.Add(key, UnwrapAt(e.Value, depth + 1));
                }
                return copy;
            case IEnumerable list:
                var items = new List<object?>();
                foreach (var item in list) items.Add(UnwrapAt(item, depth + 1));
                return items.ToArray();
            default:
                return value;
        }
    }
}
