using System.Text.Json;
using Cimaa.Metrics;

namespace Cimaa.Kairos;

/// <summary>Reads one entry of a query's <c>metrics[]</c>: name, tags, group_by, aggregators, limit, order, downsample, aggregate.</summary>
internal static class KairosMetricParser
{
    private static readonly string AggregatorNames = string.Join(", ", Enum.GetNames<KairosAggregatorName>().Select(n => n.ToLowerInvariant()));

    public static KairosMetricQuery? Metric(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        if (!JsonRead.Object(ref r, path, errors)) return null;
        var before = errors.Count;
        string? name = null;
        var hasName = false;
        Dictionary<string, string[]>? tags = null;
        var groupBy = new List<string>();
        var aggregators = new List<KairosAggregator>();
        int? limit = null;
        var descending = false;
        var excludeTags = false;
        KairosDownsample? downsample = null;
        AggregateFunction? aggregate = null;
        while (JsonRead.NextProperty(ref r, out var key))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "name":
                    hasName = true;
                    name = JsonRead.String(ref r, at, errors);
                    break;
                case "tags": tags = Tags(ref r, at, errors); break;
                case "group_by": GroupBy(ref r, at, errors, groupBy); break;
                case "aggregators": Aggregators(ref r, at, errors, aggregators); break;
                case "limit":
                    var n = JsonRead.Integer(ref r, at, errors);
                    if (n is < 1 or > int.MaxValue) errors.Add($"{at} must be a positive integer");
                    else limit = (int?)n;
                    break;
                case "order":
                    var order = JsonRead.String(ref r, at, errors);
                    if (order?.ToLowerInvariant() is "asc" or "desc") descending = order.Equals("desc", StringComparison.OrdinalIgnoreCase);
                    else if (order is not null) errors.Add($"{at} {JsonRead.Quote(order)} must be asc or desc");
                    break;
                case "exclude_tags": excludeTags = JsonRead.Boolean(ref r, at, errors) ?? false; break;
                case "downsample": downsample = Downsample(ref r, at, errors); break;
                case "aggregate":
                    var agg = JsonRead.String(ref r, at, errors);
                    if (agg is not null && TryEnum<AggregateFunction>(agg, out var fn)) aggregate = fn;
                    else if (agg is not null) errors.Add($"{at} {JsonRead.Quote(agg)} is not a known aggregate ({Names<AggregateFunction>()})");
                    break;
                default: r.Skip(); break;
            }
        }
        if (!hasName) errors.Add($"{path}.name is required");
        else if (name?.Length == 0) errors.Add($"{path}.name may not be empty");
        else if (name is not null)
        {
            try
            {
                MetricValidation.CheckName(name);
            }
            catch (CimaaException e)
            {
                errors.Add($"{path}.name: {e.Message}");
            }
        }
        if (errors.Count > before) return null;
        return new KairosMetricQuery(name!, tags, groupBy.Distinct(StringComparer.Ordinal).ToList(), aggregators, limit, descending, downsample,
            aggregate, excludeTags);
    }

    private static Dictionary<string, string[]>? Tags(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        if (!JsonRead.Object(ref r, path, errors)) return null;
        var tags = new Dictionary<string, string[]>(StringComparer.Ordinal);
        while (JsonRead.NextProperty(ref r, out var key))
        {
            var at = $"{path}.{key}";
            var bad = $"{at} must be a string or an array of strings";
            if (r.TokenType == JsonTokenType.String)
            {
                tags[key] = [r.GetString()!];
                continue;
            }
            if (r.TokenType != JsonTokenType.StartArray)
            {
                errors.Add(bad);
                r.Skip();
                continue;
            }
            var values = new List<string>();
            var ok = true;
            while (JsonRead.NextElement(ref r))
            {
                if (r.TokenType == JsonTokenType.String) values.Add(r.GetString()!);
                else
                {
                    ok = false;
                    r.Skip();
                }
            }
            if (!ok) errors.Add(bad);
            else if (values.Count == 0) errors.Add($"{at} may not be an empty array");
            else tags[key] = values.Distinct(StringComparer.Ordinal).ToArray();
        }
        return tags;
    }

    private static void GroupBy(ref Utf8JsonReader r, string path, ErrorList errors, List<string> groupBy)
    {
        if (!JsonRead.Array(ref r, path, errors)) return;
        var i = 0;
        while (JsonRead.NextElement(ref r))
        {
            var at = $"{path}[{i++}]";
            if (!JsonRead.Object(ref r, at, errors)) continue;
            string? name = null;
            List<string>? tags = null;
            while (JsonRead.NextProperty(ref r, out var key))
            {
                if (key == "name") name = JsonRead.String(ref r, $"{at}.name", errors);
                else if (key == "tags") tags = StringArray(ref r, $"{at}.tags", errors);
                else r.Skip();
            }
            if (name is null) errors.Add($"{at}.name is required");
            else if (name != "tag") errors.Add($"{at}.name {JsonRead.Quote(name)} is not a supported grouper: only 'tag' is");
            else if (tags is null) errors.Add($"{at}.tags is required");
            else if (tags.Count == 0) errors.Add($"{at}.tags may not be empty");
            else groupBy.AddRange(tags);
        }
    }

    private static List<string>? StringArray(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        if (!JsonRead.Array(ref r, path, errors)) return null;
        var list = new List<string>();
        var i = 0;
        while (JsonRead.NextElement(ref r))
        {
            if (JsonRead.String(ref r, $"{path}[{i++}]", errors) is { } s) list.Add(s);
        }
        return list;
    }

    private static void Aggregators(ref Utf8JsonReader r, string path, ErrorList errors, List<KairosAggregator> aggregators)
    {
        if (!JsonRead.Array(ref r, path, errors)) return;
        var i = 0;
        while (JsonRead.NextElement(ref r))
        {
            if (Aggregator(ref r, $"{path}[{i++}]", errors) is { } a) aggregators.Add(a);
        }
    }

    /// <summary>
    /// <c>{"name","sampling":{"value","unit"},"align_sampling","align_start_time","align_end_time"}</c>; rate also takes
    /// <c>"unit"</c>. The sampling defaults to 1 millisecond (KairosDB's default); rate's unit to seconds.
    /// </summary>
    private static KairosAggregator? Aggregator(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        if (!JsonRead.Object(ref r, path, errors)) return null;
        var before = errors.Count;
        string? name = null;
        long? sampling = null;
        long? unit = null;
        bool alignSampling = false, alignStart = false, alignEnd = false;
        while (JsonRead.NextProperty(ref r, out var key))
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "name": name = JsonRead.String(ref r, at, errors); break;
                case "sampling": sampling = KairosQueryParser.Sampling(ref r, at, errors); break;
                case "unit":
                    var u = JsonRead.String(ref r, at, errors);
                    unit = KairosTimeUnits.Milliseconds(u);
                    if (u is not null && unit is null)
                        errors.Add($"{at} {JsonRead.Quote(u)} is not a known unit ({string.Join(", ", KairosTimeUnits.Names)})");
                    break;
                case "align_sampling": alignSampling = JsonRead.Boolean(ref r, at, errors) ?? false; break;
                case "align_start_time": alignStart = JsonRead.Boolean(ref r, at, errors) ?? false; break;
                case "align_end_time": alignEnd = JsonRead.Boolean(ref r, at, errors) ?? false; break;
                default: r.Skip(); break;
            }
        }
        KairosAggregatorName kind = default;
        if (name is null) errors.Add($"{path}.name is required");
        else if (!TryEnum(name, out kind)) errors.Add($"{path}.name {JsonRead.Quote(name)} is not a known aggregator ({AggregatorNames})");
        if (errors.Count > before) return null;
        var ms = kind == KairosAggregatorName.Rate ? unit ?? sampling ?? 1000 : sampling ?? 1;
        return new KairosAggregator(kind, ms, alignSampling, alignStart, alignEnd);
    }

    private static KairosDownsample? Downsample(ref Utf8JsonReader r, string path, ErrorList errors)
    {
        if (!JsonRead.Object(ref r, path, errors)) return null;
        var before = errors.Count;
        string? name = null;
        long? window = null;
        var hasSampling = false;
        while (JsonRead.NextProperty(ref r, out var key))
        {
            if (key == "name") name = JsonRead.String(ref r, $"{path}.name", errors);
            else if (key == "sampling")
            {
                hasSampling = true;
                window = KairosQueryParser.Sampling(ref r, $"{path}.sampling", errors);
            }
            else r.Skip();
        }
        DownsampleFunction fn = default;
        if (name is null) errors.Add($"{path}.name is required");
        else if (!TryEnum(name, out fn)) errors.Add($"{path}.name {JsonRead.Quote(name)} is not a known downsample function ({Names<DownsampleFunction>()})");
        if (!hasSampling) errors.Add($"{path}.sampling is required");
        return errors.Count > before || window is null ? null : new KairosDownsample(fn, window.Value);
    }

    /// <summary>Case-insensitive enum names only (no numbers).</summary>
    private static bool TryEnum<T>(string text, out T value) where T : struct, Enum
    {
        value = default;
        return text.Length > 0 && char.IsAsciiLetter(text[0]) && Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    private static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
}
