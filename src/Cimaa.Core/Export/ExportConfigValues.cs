using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json;
using Cimaa.Config;

namespace Cimaa.Export;

/// <summary>
/// Option values in an export file, each typed as DynamoDB's JSON does: <c>{"S":"text"}</c>, <c>{"N":"1.5"}</c> (the number's one
/// form from <see cref="ConfigValues"/>, as text, so it is exact), <c>{"BOOL":true}</c>, <c>{"NULL":true}</c>, <c>{"L":[..]}</c>,
/// <c>{"M":{..}}</c> and <c>{"B":"base64"}</c>. Every value says its type, so a map can never be mistaken for a tagged value.
/// </summary>
internal static class ExportConfigValues
{
    public static void Write(Utf8JsonWriter writer, OrderedDictionary values)
    {
        writer.WriteStartObject();
        foreach (DictionaryEntry e in values)
        {
            writer.WritePropertyName((string)e.Key);
            WriteValue(writer, e.Value);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        writer.WriteStartObject();
        switch (value)
        {
            case null:
                writer.WriteBoolean("NULL", true);
                break;
            case string s:
                writer.WriteString("S", s);
                break;
            case bool b:
                writer.WriteBoolean("BOOL", b);
                break;
            case long l:
                writer.WriteString("N", ConfigValues.FormatNumber(l));
                break;
            case decimal m:
                writer.WriteString("N", ConfigValues.FormatNumber(m));
                break;
            case double d:
                writer.WriteString("N", d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                writer.WriteBase64String("B", bytes);
                break;
            case IDictionary map:
                writer.WritePropertyName("M");
                ConfigJson.WriteObject(writer, map, WriteValue);
                break;
            case IEnumerable list:
                writer.WriteStartArray("L");
                foreach (var item in list) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"A {value.GetType().FullName} is not an option value.");
        }
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads the values object into a map with ordinal keys, for <see cref="ConfigValues.Normalize"/> to check as it checks
    /// Set-CimaaConfig's input. Throws <see cref="ExportFormatException"/> for a shape that is not a typed value.
    /// </summary>
    public static OrderedDictionary Read(JsonElement values, string path = "values")
    {
        if (values.ValueKind != JsonValueKind.Object) throw new ExportFormatException($"the field '{path}' must be an object.");
        var map = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var p in values.EnumerateObject())
        {
            if (map.Contains(p.Name)) throw new ExportFormatException($"the key '{p.Name}' is given twice in '{path}'.");
            map.Add(p.Name, ReadValue(p.Value, path + "." + p.Name));
        }
        return map;
    }

    private static object? ReadValue(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new ExportFormatException($"the value of '{path}' must be a typed value such as {{\"S\":\"text\"}}.");
        JsonProperty? only = null;
        foreach (var p in e.EnumerateObject())
        {
            if (only is not null) throw new ExportFormatException($"the value of '{path}' has more than one type.");
            only = p;
        }
        if (only is not { } typed) throw new ExportFormatException($"the value of '{path}' has no type.");
        var v = typed.Value;
        switch (typed.Name)
        {
            case "S" when v.ValueKind == JsonValueKind.String:
                return v.GetString();
            case "N" when v.ValueKind == JsonValueKind.String && IsNumber(v.GetString()!):
                return ConfigValues.ParseNumber(v.GetString()!);
            case "BOOL" when v.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return v.GetBoolean();
            case "NULL" when v.ValueKind == JsonValueKind.True:
                return null;
            case "B" when v.ValueKind == JsonValueKind.String && v.TryGetBytesFromBase64(out var bytes):
                return bytes;
            case "L" when v.ValueKind == JsonValueKind.Array:
                var list = new List<object?>();
                var i = 0;
                foreach (var item in v.EnumerateArray()) list.Add(ReadValue(item, $"{path}[{i++}]"));
                return list.ToArray();
            case "M" when v.ValueKind == JsonValueKind.Object:
                return Read(v, path);
            case "S" or "N" or "BOOL" or "NULL" or "B" or "L" or "M":
                throw new ExportFormatException($"the value of '{path}' is not a valid {typed.Name} value.");
            default:
                throw new ExportFormatException($"the value of '{path}' has the unknown type '{typed.Name}' (S, N, BOOL, NULL, L, M or B).");
        }
    }

    private static bool IsNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d));
}

/// <summary>A record or header that does not have the file format's shape; the reader adds the line number.</summary>
internal sealed class ExportFormatException(string message, Exception? inner = null) : Exception(message, inner);
