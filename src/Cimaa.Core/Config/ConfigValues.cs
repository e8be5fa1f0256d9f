using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Numerics;

namespace Cimaa.Config;

/// <summary>
/// The rules for option values, shared by both stores: which values can be stored, how they are normalized,
/// and how keys are ordered. A normalized value is null, string, bool, a number (<see cref="Number"/>: long when whole,
/// else decimal), object?[] or an ordered, case-insensitive dictionary whose keys are sorted (<see cref="KeyOrder"/>).
/// </summary>
public static class ConfigValues
{
    /// <summary>DynamoDB allows 32 levels of nested lists and maps.</summary>
    public const int MaxDepth = 32;

    /// <summary>Key order: case-insensitive first, then ordinal, so "a", "B", "c" and "A" before "a".</summary>
    public static readonly IComparer<string> KeyOrder = Comparer<string>.Create((a, b) =>
    {
        var c = StringComparer.OrdinalIgnoreCase.Compare(a, b);
        return c != 0 ? c : StringComparer.Ordinal.Compare(a, b);
    });

    /// <summary>An empty values dictionary: ordered, case-insensitive.</summary>
    public static OrderedDictionary Create() => new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Builds a values dictionary from stored pairs, sorted by <see cref="KeyOrder"/>. Keys that differ only in case
    /// (possible in items other tools wrote) keep the first in that order, and <paramref name="warn"/> is told.
    /// </summary>
    public static OrderedDictionary FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs, string where, Action<string>? warn)
    {
        var result = Create();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, KeyOrder))
        {
            if (result.Contains(key))
            {
                warn?.Invoke($"{where}: the key '{key}' differs only in case from another key and was skipped.");
                continue;
            }
            result.Add(key, value);
        }
        return result;
    }

    /// <summary>
    /// The merge of Set-CimaaConfig -Merge: the given keys replace the stored ones whole (no deep merge), and since keys are
    /// case-insensitive, a given key also replaces a stored key that differs from it only in case: the given spelling wins.
    /// </summary>
    public static OrderedDictionary Merge(OrderedDictionary stored, OrderedDictionary given)
    {
        var replaced = new HashSet<string>(given.Keys.Cast<string>(), StringComparer.OrdinalIgnoreCase);
        var pairs = stored.Cast<DictionaryEntry>().Where(e => !replaced.Contains((string)e.Key))
            .Concat(given.Cast<DictionaryEntry>())
            .Select(e => new KeyValuePair<string, object?>((string)e.Key, e.Value));
        return FromPairs(pairs, "", null);
    }

    /// <summary>
    /// The stored keys that <see cref="Merge"/> replaces under another spelling: equal to a given key but for case. For stores
    /// that merge in place (DynamoDB's UpdateItem sets the given keys; these must then be removed).
    /// </summary>
    public static List<string> OtherSpellings(IEnumerable<string> stored, IReadOnlyCollection<string> given) =>
        stored.Where(k => !given.Contains(k, StringComparer.Ordinal) && given.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// Checks and normalizes the values given to Set-CimaaConfig. Throws InvalidConfigValue, before anything is written,
    /// for a key named like the table's key attributes, an empty or non-string key, keys that differ only in case,
    /// or a value that cannot be stored.
    /// </summary>
    public static OrderedDictionary Normalize(IDictionary values, string storeKey = "_store", string optionKey = "_option")
    {
        ArgumentNullException.ThrowIfNull(values);
        var reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "_store", "_option", storeKey, optionKey };
        var result = NormalizeMap(values, "", 1);
        foreach (string key in result.Keys)
        {
            if (reserved.Contains(key))
            {
                throw Invalid($"The key '{key}' is reserved: it names a key attribute of the config table ({string.Join(", ", reserved.Order(StringComparer.Ordinal))}).", key);
            }
        }
        return result;
    }

    private static OrderedDictionary NormalizeMap(IDictionary map, string path, int depth)
    {
        if (depth > MaxDepth) throw Invalid($"The value of '{path}' is nested more than {MaxDepth} levels deep.", path);
        var pairs = new List<KeyValuePair<string, object?>>(map.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in map)
        {
            var key = entry.Key switch
            {
                string s => s,
                char c => c.ToString(),
                _ => throw Invalid($"The key '{entry.Key}'{At(path)} is a {entry.Key.GetType().FullName}; keys must be strings.", entry.Key),
            };
            if (key.Length == 0) throw Invalid($"An empty key{At(path)} cannot be stored.", key);
            if (!seen.Add(key)) throw Invalid($"The key '{key}'{At(path)} is given twice, in different cases; keys are case-insensitive.", key);
            var child = path.Length == 0 ? key : path + "." + key;
            pairs.Add(new(key, NormalizeValue(entry.Value, child, depth)));
        }
        return FromPairs(pairs, path, null);
    }

    private static object? NormalizeValue(object? value, string path, int depth)
    {
        switch (value)
        {
            case null or DBNull:
                return null;
            case string s:
                return s;
            case char c:
                return c.ToString();
            case bool b:
                return b;
            case decimal m:
                return Number(m);
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                return Number(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
            case float f:
                return FromDouble(f, value, path);
            case double d:
                return FromDouble(d, value, path);
            case BigInteger big:
                return big >= new BigInteger(decimal.MinValue) && big <= new BigInteger(decimal.MaxValue)
                    ? Number((decimal)big)
                    : throw Invalid($"The number {big} at '{path}' is out of range.", value);
            case byte[]:
                throw Invalid($"The value of '{path}' is binary, which cannot be written; binary attributes written by other tools can only be read.", value);
            case IDictionary map:
                return NormalizeMap(map, path, depth + 1);
            case IEnumerable list:
                if (depth + 1 > MaxDepth) throw Invalid($"The value of '{path}' is nested more than {MaxDepth} levels deep.", value);
                var items = new List<object?>();
                var i = 0;
                foreach (var item in list) items.Add(NormalizeValue(item, $"{path}[{i++}]", depth + 1));
                return items.ToArray();
            default:
                throw Invalid($"The value of '{path}' is a {value.GetType().FullName}, which cannot be stored; use a string, number, boolean, list, map or $null.", value);
        }
    }

    private static object FromDouble(double d, object original, string path)
    {
        if (double.IsFinite(d) && decimal.TryParse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
        {
            return Number(m);
        }
        throw Invalid($"The number {d.ToString(CultureInfo.InvariantCulture)} at '{path}' cannot be stored as a decimal.", original);
    }

    /// <summary>Parses a stored number into its one form (<see cref="Number"/>), or a double when it is outside decimal's range.</summary>
    public static object ParseNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
            ? Number(m)
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// The one form of a number in option values, whichever store or tool wrote it: a whole number within Int64's range is a
    /// long (so <c>8</c> prints, and converts to JSON, as <c>8</c>: ConvertTo-Json writes any decimal with a fraction, <c>8.0</c>);
    /// any other number is a decimal without trailing zeros (<c>1.50</c> is <c>1.5</c>, as DynamoDB itself normalizes numbers).
    /// </summary>
    public static object Number(decimal value)
    {
        if (value == decimal.Truncate(value) && value >= long.MinValue && value <= long.MaxValue) return (long)value;
        // Dividing by 1 with 28 zeros keeps the value and drops the trailing zeros of its scale.
        return value / 1.0000000000000000000000000000m;
    }

    public static string FormatNumber(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string FormatNumber(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A deep copy, so callers can change what they get without touching the cache.</summary>
    public static OrderedDictionary Copy(OrderedDictionary values)
    {
        var copy = Create();
        foreach (DictionaryEntry e in values) copy.Add(e.Key, CopyValue(e.Value));
        return copy;
    }

    private static object? CopyValue(object? value) => value switch
    {
        OrderedDictionary map => Copy(map),
        object?[] list => list.Select(CopyValue).ToArray(),
        byte[] bytes => bytes.ToArray(),
        _ => value,
    };

    /// <summary>Only the keys asked for (case-insensitive), in stored order; missing keys are left out.</summary>
    public static OrderedDictionary Select(OrderedDictionary values, IReadOnlyCollection<string>? keys)
    {
        if (keys is null) return values;
        var wanted = new HashSet<string>(keys, StringComparer.OrdinalIgnoreCase);
        var result = Create();
        foreach (DictionaryEntry e in values)
        {
            if (wanted.Contains((string)e.Key)) result.Add(e.Key, e.Value);
        }
        return result;
    }

    private static string At(string path) => path.Length == 0 ? "" : $" in '{path}'";

    private static CimaaException Invalid(string message, object? target) =>
        new(ErrorIds.InvalidConfigValue, CimaaErrorCategory.InvalidArgument, message, target);
}
