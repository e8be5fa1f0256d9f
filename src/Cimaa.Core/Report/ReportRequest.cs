using System.Globalization;

namespace Cimaa.Report;

/// <summary>
/// A metric for the status page's sparklines: a name in the <c>default</c> domain and an optional tag filter, written
/// <c>name</c> or <c>name{key=value,key=value}</c> (OpenTSDB's form; a key given twice means either value).
/// </summary>
public sealed record ReportMetric(string Name, IReadOnlyDictionary<string, string[]>? Tags = null)
{
    /// <summary>The spec as written back: <c>cpu.load{host=web1}</c>.</summary>
    public string Label => Tags is null || Tags.Count == 0
        ? Name
        : Name + "{" + string.Join(",", Tags.SelectMany(t => t.Value.Select(v => t.Key + "=" + v))) + "}";

    /// <summary>Reads <c>name</c> or <c>name{k=v,..}</c>; InvalidMetric for an empty name, a missing brace or a pair without '='.</summary>
    public static ReportMetric Parse(string? spec)
    {
        spec = spec?.Trim() ?? "";
        var brace = spec.IndexOf('{');
        if (brace < 0 || !spec.EndsWith('}')) return new ReportMetric(CheckName(spec, spec));
        var tags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in spec[(brace + 1)..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            AddTag(tags, pair, '=', spec);
        return new ReportMetric(CheckName(spec[..brace], spec), Freeze(tags));
    }

    /// <summary>
    /// The metrics of a query string, in order: each <c>metric=</c> starts one (its value is read by <see cref="Parse"/>), and
    /// each <c>tags=k:v[,k:v]</c> after it adds to its filter. Other parameters are ignored.
    /// </summary>
    public static List<ReportMetric> FromQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var list = new List<ReportMetric>();
        Dictionary<string, List<string>>? tags = null;
        foreach (var (key, value) in parameters)
        {
            if (key == "metric")
            {
                Flush();
                var m = Parse(value);
                list.Add(m);
                tags = m.Tags?.ToDictionary(t => t.Key, t => t.Value.ToList(), StringComparer.Ordinal) ?? new(StringComparer.Ordinal);
            }
            else if (key == "tags")
            {
                if (tags is null) throw Invalid($"tags={value} comes before any metric=.", value);
                foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    AddTag(tags, pair, ':', value);
            }
        }
        Flush();
        return list;

        void Flush()
        {
            if (tags is null || list.Count == 0) return;
            list[^1] = list[^1] with { Tags = Freeze(tags) };
        }
    }

    private static string CheckName(string name, string spec) =>
        name.Trim() is { Length: > 0 } n ? n : throw Invalid($"'{spec}' names no metric.", spec);

    private static void AddTag(Dictionary<string, List<string>> tags, string pair, char separator, string spec)
    {
        var at = pair.IndexOf(separator);
        if (at <= 0) throw Invalid($"The tag '{pair}' in '{spec}' is not key{separator}value.", spec);
        var key = pair[..at].Trim();
        var value = pair[(at + 1)..].Trim();
        if (!tags.TryGetValue(key, out var values)) tags[key] = values = [];
        if (!values.Contains(value)) values.Add(value);
    }

    private static SortedDictionary<string, string[]>? Freeze(Dictionary<string, List<string>> tags) =>
        tags.Count == 0 ? null : new SortedDictionary<string, string[]>(tags.ToDictionary(t => t.Key, t => t.Value.ToArray()), StringComparer.Ordinal);

    private static CimaaException Invalid(string message, object target) =>
        new(ErrorIds.InvalidMetric, CimaaErrorCategory.InvalidArgument, message, target);
}

/// <summary>What the status page shows: agents stale after <see cref="StaleAfter"/>, and sparklines of <see cref="Metrics"/> over <see cref="Window"/>.</summary>
public sealed record ReportRequest(TimeSpan StaleAfter, IReadOnlyList<ReportMetric> Metrics)
{
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromSeconds(900);

    /// <summary>The sparklines' time range, ending now.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    public static ReportRequest Default { get; } = new(DefaultStaleAfter, []);

    /// <summary>
    /// The request of a query string: <c>stale=</c> seconds (a positive number; 900 when absent), <c>metric=</c>/<c>tags=</c>
    /// (<see cref="ReportMetric.FromQuery"/>), else <paramref name="defaultMetrics"/> (the server's --dashboard-metric list).
    /// </summary>
    public static ReportRequest FromQuery(IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<ReportMetric> defaultMetrics)
    {
        var stale = DefaultStaleAfter;
        foreach (var (key, value) in parameters)
        {
            if (key != "stale") continue;
            if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 ||
                seconds > (decimal)TimeSpan.MaxValue.TotalSeconds / 2)
            {
                throw new CimaaException(ErrorIds.InvalidTime, CimaaErrorCategory.InvalidArgument,
                    $"stale={value} is not a number of seconds greater than 0.", value);
            }
            stale = TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }
        var metrics = ReportMetric.FromQuery(parameters);
        return new ReportRequest(stale, metrics.Count > 0 ? metrics : defaultMetrics);
    }

    /// <summary>StaleAfter must be positive (InvalidTime otherwise).</summary>
    public ReportRequest Checked() => StaleAfter > TimeSpan.Zero ? this
        : throw new CimaaException(ErrorIds.InvalidTime, CimaaErrorCategory.InvalidArgument, $"-StaleAfter {StaleAfter} must be positive.", StaleAfter);
}
