namespace Cimaa.Metrics;

/// <summary>
/// What Get-CimaaMetric asks for. Tags: each key must be present with one of the given values (AND across keys, OR within a key).
/// </summary>
public sealed record MetricQuery(IReadOnlyList<string> Names, DateTimeOffset Start, DateTimeOffset End, string Domain = MetricValidation.DefaultDomain,
    IReadOnlyDictionary<string, string[]>? Tags = null, TimeSpan? Downsample = null, DownsampleFunction DownsampleFunction = DownsampleFunction.Avg,
    AggregateFunction? Aggregate = null)
{
    /// <summary>
    /// The query of Get-CimaaMetric from what was given: times as <see cref="MetricTime.Parse"/> reads them, relative ones and
    /// a missing end against <paramref name="clock"/>; a downsample window of at least one millisecond; a start not after the
    /// end. Anything else is InvalidTime, before any read.
    /// </summary>
    public static MetricQuery Create(TimeProvider clock, IReadOnlyList<string> names, object? start, object? end, string domain,
        IReadOnlyDictionary<string, string[]>? tags, TimeSpan? downsample, string downsampleFunction = "avg", string? aggregate = null)
    {
        var now = clock.GetUtcNow();
        var from = MetricTime.Parse(start, now);
        var to = end is null ? now : MetricTime.Parse(end, now);
        if (downsample is { } window && window.TotalMilliseconds < 1)
        {
            throw new CimaaException(ErrorIds.InvalidTime, CimaaErrorCategory.InvalidArgument,
                $"The downsample window '{window}' must be at least one millisecond.", window);
        }
        if (to < from)
        {
            throw new CimaaException(ErrorIds.InvalidTime, CimaaErrorCategory.InvalidArgument, $"The start {from:o} is after the end {to:o}.", start);
        }
        return new MetricQuery(names, from, to, domain, tags, downsample, Enum.Parse<DownsampleFunction>(downsampleFunction, ignoreCase: true),
            aggregate is null ? null : Enum.Parse<AggregateFunction>(aggregate, ignoreCase: true));
    }
}
