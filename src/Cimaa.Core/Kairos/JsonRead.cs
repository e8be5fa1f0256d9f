using System.Globalization;
using System.Text.Json;

namespace Cimaa.Kairos;

/// <summary>Collects the error strings of one body, up to a limit; the rest are counted in a last line.</summary>
internal sealed class ErrorList(int max)
{
    private readonly List<string> _items = [];
    private int _more;

    public bool Any => _items.Count > 0;

    public int Count => _items.Count + _more;

    public void Add(string error)
    {
        if (_items.Count < max) _items.Add(error);
        else _more++;
    }

    public IReadOnlyList<string> ToList() => _more == 0 ? _items.ToList() : [.. _items, $"... and {_more} more errors"];
}

/// <summary>
/// Small readers over a <see cref="Utf8JsonReader"/> positioned on a value's first token. Each leaves the reader on the value's
/// last token; a value of the wrong type is reported (naming its path) and skipped.
/// </summary>
internal static class JsonRead
{
    public static readonly JsonReaderOptions Options = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    public static string? String(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        if (r.TokenType == JsonTokenType.String) return r.GetString();
        errors.Add($"{path} must be a string");
        r.Skip();
        return null;
    }

    /// <summary>A JSON integer, or a string holding one (as KairosDB accepts "value":"5").</summary>
    public static long? Integer(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.Number when r.TryGetInt64(out var n):
                return n;
            case JsonTokenType.String when long.TryParse(r.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s):
                return s;
            default:
                errors.Add($"{path} must be an integer");
                r.Skip();
                return null;
        }
    }

    public static bool? Boolean(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            default:
                errors.Add($"{path} must be true or false");
                r.Skip();
                return null;
        }
    }

    /// <summary>True when the reader is on '{'; otherwise reports and skips the value.</summary>
    public static bool Object(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        if (r.TokenType == JsonTokenType.StartObject) return true;
        errors.Add($"{path} must be an object");
        r.Skip();
        return false;
    }

    /// <summary>True when the reader is on '['; otherwise reports and skips the value.</summary>
    public static bool Array(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        if (r.TokenType == JsonTokenType.StartArray) return true;
        errors.Add($"{path} must be an array");
        r.Skip();
        return false;
    }

    /// <summary>Moves to the next property of an object; false at its end. Leaves the reader on the property's value.</summary>
    public static bool NextProperty(ref Utf8JsonReader r, out string name)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.EndObject)
        {
            name = "";
            return false;
        }
        name = r.GetString()!;
        r.Read();
        return true;
    }

    /// <summary>Moves to the next element of an array; false at its end.</summary>
    public static bool NextElement(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>Reads the first token of a body, reporting an empty one.</summary>
    public static bool Start(ref Utf8JsonReader r, ReadOnlySpan<byte> json, ErrorList errors)
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            errors.Add("the body is empty: send a JSON document");
            return false;
        }
        return r.Read();
    }

    /// <summary>After the root value: anything but white space is an error (the reader throws JsonException).</summary>
    public static void End(ref Utf8JsonReader r)
    {
        while (r.Read()) { }
    }

    public static string Malformed(JsonException e) => $"the body is not valid JSON: {e.Message}";

    /// <summary>A JSON string literal of a user value for an error message, cut at 64 characters.</summary>
    public static string Quote(string? value) =>
        value is null ? "null" : "'" + (value.Length > 64 ? value[..64] + "..." : value) + "'";
}
