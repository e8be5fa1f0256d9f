using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cimaa.Metrics;

/// <summary>How values are stored: numbers as N (decimal), anything else as JSON text restored on read.</summary>
public static class MetricValues
{
    private static readonly JsonSerializerOptions Options = new() { MaxDepth = 32 };

    /// <summary>The decimal of a number or numeric string; null for anything else (and for NaN, infinities, out-of-range doubles).</summary>
    public static decimal? ToDecimal(object? value)
    {
        switch (value)
        {
            case decimal m: return m;
            case int or long or short or sbyte or byte or ushort or uint: return Convert.ToDecimal(value, CultureInfo.InvariantCulture);
            case ulong u: return u;
            case double d when double.IsFinite(d) && Math.Abs(d) < 7.9e28: return (decimal)d;
            case float f when float.IsFinite(f) && Math.Abs(f) < 7.9e28f: return (decimal)f;
            case string s when s.Length > 0 && s.Length <= 64 && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1])
                && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p): return p;
            default: return null;
        }
    }

    public static string ToJson(object value) => JsonSerializer.Serialize(ToNode(value, 0), Options);

    /// <summary>The stored N text as a decimal.</summary>
    public static decimal ParseNumber(string n) => decimal.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Restores a JSON value: string, bool, decimal, null, OrderedDictionary (objects) or object[] (arrays).</summary>
    public static object? FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return FromElement(doc.RootElement);
    }

    private static object? FromElement(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => e.TryGetDecimal(out var d) ? d : e.GetDouble(),
        JsonValueKind.Array => e.EnumerateArray().Select(FromElement).ToArray(),
        JsonValueKind.Object => ToOrdered(e),
        _ => null,
    };

    private static OrderedDictionary ToOrdered(JsonElement e)
    {
        var d = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject()) d[p.Name] = FromElement(p.Value);
        return d;
    }

    /// <summary>Dictionaries become objects, other collections arrays, scalars themselves; anything else through its public properties.</summary>
    private static JsonNode? ToNode(object? value, int depth)
    {
        if (depth > 32) throw new InvalidOperationException("The value is nested more than 32 levels deep.");
        switch (value)
        {
            case null: return null;
            case string s: return JsonValue.Create(s);
            case bool b: return JsonValue.Create(b);
            case char c: return JsonValue.Create(c.ToString());
            case DateTimeOffset dto: return JsonValue.Create(dto.ToString("o", CultureInfo.InvariantCulture));
            case DateTime dt: return JsonValue.Create(dt.ToString("o", CultureInfo.InvariantCulture));
            case Guid or TimeSpan or Enum or Uri: return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
            case IDictionary dict:
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dict) obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = ToNode(entry.Value, depth + 1);
                return obj;
            case IEnumerable list:
                var arr = new JsonArray();
                foreach (var item in list) arr.Add(ToNode(item, depth + 1));
                return arr;
        }
        if (ToDecimal(value) is { } d) return JsonValue.Create(d);
        if (value is double or float) return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
        var props = value.GetType().GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToList();
        if (props.Count == 0) return JsonValue.Create(value.ToString());
        var o = new JsonObject();
        foreach (var p in props) o[p.Name] = ToNode(p.GetValue(value), depth + 1);
        return o;
    }
}
