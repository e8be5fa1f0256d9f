using System.Collections;
using System.Globalization;
using System.Text;

namespace Cimaa.Metrics;

/// <summary>One datapoint as Write-CimaaMetric receives it, before validation. Tags are (key, value) pairs as given.</summary>
public sealed record MetricInput(string? Name, object? Value, IReadOnlyList<KeyValuePair<object?, object?>>? Tags, DateTimeOffset? Timestamp,
    string? Domain);

/// <summary>A validated datapoint: Number holds an N value (invariant decimal text), otherwise Json holds the value's JSON text.</summary>
public sealed record ValidMetric(string Domain, string Name, SortedDictionary<string, string> Tags, string TagString, long TimestampMs,
    string? Number, string? Json);

/// <summary>Validates Write-CimaaMetric input before anything is written (InvalidMetric).</summary>
public static class MetricValidation
{
    public const int MaxTags = 20;
    public const int MaxValueBytes = 64 * 1024;
    public const string DefaultDomain = "default";

    public static List<ValidMetric> Validate(IEnumerable<MetricInput> inputs, DateTimeOffset now) =>
        inputs.Select(i => Validate(i, now)).ToList();

    public static ValidMetric Validate(MetricInput input, DateTimeOffset now)
    {
        var domain = CheckDomain(input.Domain);
        var name = CheckName(input.Name, input);
        var tags = CheckTags(input.Tags, name, input);
        var time = input.Timestamp ?? now;
        var ms = time.ToUnixTimeMilliseconds();
        if (ms < 0) throw Invalid($"The timestamp {time:o} of metric '{name}' is before 1970.", input);
        if (input.Value is null) throw Invalid($"Metric '{name}' has no value.", input);
        var (number, json) = EncodeValue(input.Value, name, input);
        return new ValidMetric(domain, name, tags, MetricKeys.TagString(tags), ms, number, json);
    }

    public static string CheckDomain(string? domain)
    {
        domain = string.IsNullOrEmpty(domain) ? DefaultDomain : domain;
        if (domain.Contains(MetricKeys.Separator)) throw Invalid($"The domain '{domain}' contains '|'.", domain);
        return domain;
    }

    public static string CheckName(string? name, object? target = null)
    {
        if (string.IsNullOrEmpty(name)) throw Invalid("The metric name is empty.", target ?? name);
        if (name.Contains(MetricKeys.Separator)) throw Invalid($"The metric name '{name}' contains '|'.", target ?? name);
        return name;
    }

    private static SortedDictionary<string, string> CheckTags(IReadOnlyList<KeyValuePair<object?, object?>>? given, string name, object target)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (given is null) return tags;
        if (given.Count > MaxTags) throw Invalid($"Metric '{name}' has {given.Count} tags; at most {MaxTags} are allowed.", target);
        foreach (var (k, v) in given)
        {
            var key = Scalar(k);
            var value = Scalar(v);
            if (string.IsNullOrEmpty(key)) throw Invalid($"Metric '{name}' has a tag with an empty key.", target);
            if (value is null) throw Invalid($"The tag '{key}' of metric '{name}' has no value, or a value that is not a single string or number.", target);
            if (key.Contains(MetricKeys.Separator) || value.Contains(MetricKeys.Separator))
                throw Invalid($"The tag '{key}={value}' of metric '{name}' contains '|'.", target);
            if (!tags.TryAdd(key, value)) throw Invalid($"The tag '{key}' of metric '{name}' is given twice.", target);
        }
        return tags;
    }

    /// <summary>A tag key or value as text; null for null and for collections.</summary>
    private static string? Scalar(object? o) => o switch
    {
        null => null,
        string s => s,
        IEnumerable => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => o.ToString(),
    };

    /// <summary>Numbers (and numeric strings) become N text; anything else JSON text. Either must fit in 64 KB.</summary>
    internal static (string? Number, string? Json) EncodeValue(object value, string name, object target)
    {
        if (MetricValues.ToDecimal(value) is { } d)
        {
            return (d.ToString(CultureInfo.InvariantCulture), null);
        }
        if (value is double or float)
        {
            throw Invalid($"The value '{value}' of metric '{name}' is not a finite number within the decimal range.", target);
        }
        string json;
        try
        {
            json = MetricValues.ToJson(value);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw Invalid($"The value of metric '{name}' cannot be stored as JSON: {e.Message}", target);
        }
        if (Encoding.UTF8.GetByteCount(json) > MaxValueBytes)
            throw Invalid($"The value of metric '{name}' is over {MaxValueBytes / 1024} KB.", target);
        return (null, json);
    }

    private static CimaaException Invalid(string message, object? target) =>
        new(ErrorIds.InvalidMetric, CimaaErrorCategory.InvalidArgument, message, target);
}
