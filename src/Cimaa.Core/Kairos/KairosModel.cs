using Cimaa.Metrics;

namespace Cimaa.Kairos;

/// <summary>The outcome of parsing a request body: a value, or the errors for <c>{"errors":[..]}</c> (each naming its field).</summary>
public sealed record KairosParse<T>(T? Value, IReadOnlyList<string> Errors) where T : class
{
    public bool IsValid => Errors.Count == 0 && Value is not null;
}

/// <summary>Limits on write bodies; the server makes them configurable.</summary>
public sealed record KairosLimits
{
    public const int DefaultMaxPoints = 100_000;

    /// <summary>The most points one write body may hold.</summary>
    public int MaxPoints { get; init; } = DefaultMaxPoints;

    /// <summary>How far ahead of the server's clock a point's timestamp may be.</summary>
    public TimeSpan MaxFuture { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The most error strings reported for one body; the rest are counted in a last line.</summary>
    public int MaxErrors { get; init; } = 50;
}

/// <summary>One point of a write body: validated by <see cref="MetricValidation"/> (so it can go to MetricService), and its ttl.</summary>
public sealed record KairosWritePoint(ValidMetric Metric, long? TtlSeconds);

/// <summary>A value of a series: a number, or (when <see cref="Json"/> is not null) a stored non-numeric value as JSON text.</summary>
public readonly record struct KairosValue(long Time, decimal Number, string? Json = null)
{
    public bool IsNumber => Json is null;
}

public enum KairosAggregatorName { Avg, Sum, Min, Max, Count, Dev, First, Last, Rate }

/// <summary>
/// One KairosDB aggregator. For the range aggregators <see cref="SamplingMs"/> is the window; for rate it is the unit the
/// rate is expressed in (per <see cref="SamplingMs"/> milliseconds).
/// </summary>
public sealed record KairosAggregator(KairosAggregatorName Name, long SamplingMs, bool AlignSampling = false, bool AlignStartTime = false,
    bool AlignEndTime = false);

/// <summary>Amondawa's <c>"downsample":{"name","sampling"}</c>: each stream reduced into epoch-aligned windows first.</summary>
public sealed record KairosDownsample(DownsampleFunction Function, long WindowMs);

/// <summary>
/// One entry of <c>metrics[]</c>. Tags: each key must be present with one of its values. GroupByTags empty means no
/// group_by. Limit and order apply to a group's points before the aggregators.
/// </summary>
public sealed record KairosMetricQuery(string Name, IReadOnlyDictionary<string, string[]>? Tags, IReadOnlyList<string> GroupByTags,
    IReadOnlyList<KairosAggregator> Aggregators, int? Limit = null, bool Descending = false, KairosDownsample? Downsample = null,
    AggregateFunction? Aggregate = null, bool ExcludeTags = false)
{
    /// <summary>True when anything reduces the points, so that only numbers take part.</summary>
    public bool NumericOnly => Aggregators.Count > 0 || Downsample is not null || Aggregate is not null;
}

/// <summary>A parsed query body: inclusive [StartMs, EndMs] and the metrics.</summary>
public sealed record KairosQuery(long StartMs, long EndMs, IReadOnlyList<KairosMetricQuery> Metrics);

/// <summary>KairosDB's time units (months = 30 days, years = 365 days, as Amondawa).</summary>
public static class KairosTimeUnits
{
    public static IReadOnlyList<string> Names { get; } = ["milliseconds", "seconds", "minutes", "hours", "days", "weeks", "months", "years"];

    /// <summary>The length of one unit in milliseconds (names are case-insensitive), or null for an unknown unit.</summary>
    public static long? Milliseconds(string? unit) => unit?.ToLowerInvariant() switch
    {
        "milliseconds" => 1L,
        "seconds" => 1_000L,
        "minutes" => 60_000L,
        "hours" => 3_600_000L,
        "days" => 86_400_000L,
        "weeks" => 7 * 86_400_000L,
        "months" => 30 * 86_400_000L,
        "years" => 365 * 86_400_000L,
        _ => null,
    };
}
