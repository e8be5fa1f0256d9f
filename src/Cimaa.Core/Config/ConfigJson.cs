using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;

namespace Cimaa.Config;

/// <summary>
/// The JSON encoding of an option's values in the SQLite <c>config.data</c> column: one JSON object of key to value.
/// strings, booleans and null are JSON's own; numbers are written exactly in their normalized form (<c>1.5</c>, <c>5432</c>) and
/// read back through <see cref="ConfigValues.ParseNumber"/> (long when whole, else decimal, double when outside decimal's range);
/// lists are arrays and maps are objects, to any depth.
/// </summary>
public static class ConfigJson
{
    public static string Serialize(OrderedDictionary values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, values);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static OrderedDictionary Deserialize(string json, string where, Action<string>? warn)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new CimaaException(ErrorIds.StoreError, CimaaErrorCategory.InvalidData, $"{where}: the stored data is not a JSON object.", where);
        }
        return ReadMap(doc.RootElement, where, warn);
    }

    /// <summary>A map as a JSON object, each value written by <paramref name="writeValue"/> (plain here, typed in an export).</summary>
    internal static void WriteObject(Utf8JsonWriter writer, IDictionary map, Action<Utf8JsonWriter, object?> writeValue)
    {
        writer.WriteStartObject();
        foreach (DictionaryEntry e in map)
        {
            writer.WritePropertyName((string)e.Key);
            writeValue(writer, e.Value);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case IDictionary map:
                WriteObject(writer, map, WriteValue);
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default:
                throw new CimaaException(ErrorIds.InvalidConfigValue, CimaaErrorCategory.InvalidArgument,
                    $"A {value.GetType().FullName} cannot be stored.", value);
        }
    }

    private static object? ReadValue(JsonElement e, string where, Action<string>? warn) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => ConfigValues.ParseNumber(e.GetRawText()),
        JsonValueKind.Array => e.EnumerateArray().Select(x => ReadValue(x, where, warn)).ToArray(),
        JsonValueKind.Object => ReadMap(e, where, warn),
        _ => null,
    };

    private static OrderedDictionary ReadMap(JsonElement e, string where, Action<string>? warn) =>
        ConfigValues.FromPairs(e.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, ReadValue(p.Value, where, warn))).ToList(), where, warn);
}
