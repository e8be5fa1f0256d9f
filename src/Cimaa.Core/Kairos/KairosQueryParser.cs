using System.Text.Json;

namespace Cimaa.Kairos;

/// <summary>
/// Reads a KairosDB v1 query body (POST datapoints/query, or GET ?query=) with Amondawa's <c>downsample</c> and
/// <c>aggregate</c> keys. Every error names its field, e.g. <c>metrics[0].name may not be empty</c>. Unknown keys
/// (time_zone, cache_time, ...) are ignored; windows always align to UTC.
/// </summary>
public static class KairosQueryParser
{
    public static KairosParse<KairosQuery> Parse(ReadOnlySpan<byte> json, DateTimeOffset now, int maxErrors = 50)
    {
        var errors = new ErrorList(maxErrors);
        long? startAbsolute = null, endAbsolute = null, startRelative = null, endRelative = null;
        var given = new HashSet<string>(StringComparer.Ordinal);
        List<KairosMetricQuery>? metrics = null;
        var r = new Utf8JsonReader(json, JsonRead.Options);
        try
        {
            if (JsonRead.Start(ref r, json, errors) && JsonRead.Object(ref r, "the query", errors))
            {
                while (JsonRead.NextProperty(ref r, out var name))
                {
                    given.Add(name);
                    switch (name)
                    {
                        case "start_absolute": startAbsolute = Absolute(ref r, name, errors); break;
                        case "end_absolute": endAbsolute = Absolute(ref r, name, errors); break;
                        case "start_relative": startRelative = Relative(ref r, name, errors); break;
                        case "end_relative": endRelative = Relative(ref r, name, errors); break;
                        case "metrics": metrics = Metrics(ref r, errors); break;
                        default: r.Skip(); break;
                    }
                }
                JsonRead.End(ref r);
            }
        }
        catch (JsonException e)
        {
            errors.Add(JsonRead.Malformed(e));
        }
        if (errors.Any) return new(null, errors.ToList());

        var nowMs = now.ToUnixTimeMilliseconds();
        if (given.Contains("start_absolute") && given.Contains("start_relative")) errors.Add("give start_absolute or start_relative, not both");
        else if (!given.Contains("start_absolute") && !given.Contains("start_relative")) errors.Add("start_absolute or start_relative is required");
        if (given.Contains("end_absolute") && given.Contains("end_relative")) errors.Add("give end_absolute or end_relative, not both");
        if (!given.Contains("metrics")) errors.Add("metrics is required");
        else if (metrics is { Count: 0 }) errors.Add("metrics may not be empty");
        if (errors.Any) return new(null, errors.ToList());

        var start = startAbsolute ?? Math.Max(0, nowMs - startRelative!.Value);
        var end = endAbsolute ?? (endRelative is { } er ? Math.Max(0, nowMs - er) : nowMs);
        if (start > end) errors.Add($"the start time {start} is after the end time {end}");
        return errors.Any ? new(null, errors.ToList()) : new(new KairosQuery(start, end, metrics!), []);
    }

    private static long? Absolute(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        var ms = JsonRead.Integer(ref r, path, errors);
        if (ms is < 0)
        {
            errors.Add($"{path} must not be negative (milliseconds since 1970)");
            return null;
        }
        return ms;
    }

    /// <summary><c>{"value":n,"unit":u}</c> as milliseconds (n may be 0).</summary>
    private static long? Relative(ref Utf8JsonReader r, string path, ErrorList errors) => Duration(ref r, path, errors, minimum: 0);

    /// <summary>A sampling <c>{"value":n,"unit":u}</c> with n at least 1, as milliseconds.</summary>
    internal static long? Sampling(ref Utf8JsonReader r, string path, ErrorList errors) => Duration(ref r, path, errors, minimum: 1);

    private static long? Duration(ref Utf8JsonReader r, string path, ErrorList errors, long minimum)
    {
        if (!JsonRead.Object(ref r, path, errors)) return null;
        long? value = null;
        long? unitMs = null;
        bool hasValue = false, hasUnit = false, bad = false;
        while (JsonRead.NextProperty(ref r, out var name))
        {
            switch (name)
            {
                case "value":
                    hasValue = true;
                    value = JsonRead.Integer(ref r, $"{path}.value", errors);
                    bad |= value is null;
                    break;
                case "unit":
                    hasUnit = true;
                    var unit = JsonRead.String(ref r, $"{path}.unit", errors);
                    unitMs = KairosTimeUnits.Milliseconds(unit);
                    if (unit is not null && unitMs is null)
                        errors.Add($"{path}.unit {JsonRead.Quote(unit)} is not a known unit ({string.Join(", ", KairosTimeUnits.Names)})");
                    bad |= unitMs is null;
                    break;
                default:
                    r.Skip();
                    break;
            }
        }
        if (!hasValue) errors.Add($"{path}.value is required");
        if (!hasUnit) errors.Add($"{path}.unit is required");
        if (bad || !hasValue || !hasUnit) return null;
        if (value < minimum)
        {
            errors.Add(minimum == 0 ? $"{path}.value must not be negative" : $"{path}.value must be at least {minimum}");
            return null;
        }
        try
        {
            return checked(value!.Value * unitMs!.Value);
        }
        catch (OverflowException)
        {
            errors.Add($"{path}.value is too large");
            return null;
        }
    }

    private static List<KairosMetricQuery>? Metrics(ref Utf8JsonReader r, ErrorList errors)
    {
        if (!JsonRead.Array(ref r, "metrics", errors)) return null;
        var list = new List<KairosMetricQuery>();
        var i = 0;
        while (JsonRead.NextElement(ref r))
        {
            if (KairosMetricParser.Metric(ref r, $"metrics[{i++}]", errors) is { } m) list.Add(m);
        }
        return list;
    }
}
