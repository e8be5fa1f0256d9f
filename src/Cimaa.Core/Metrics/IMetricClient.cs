namespace Cimaa.Metrics;

/// <summary>
/// The metrics of a connection, as <see cref="CimaaClient.Metrics"/> gives them: <see cref="MetricService"/> over a store, or
/// <see cref="Storage.Http.ServerMetricClient"/> through a metrics server. The cmdlets call this and nothing else.
/// </summary>
public interface IMetricClient
{
    /// <summary>The query of Get-CimaaMetric from what was given, against the connection's clock (<see cref="MetricQuery.Create"/>).</summary>
    MetricQuery CreateQuery(IReadOnlyList<string> names, object? start, object? end, string domain, IReadOnlyDictionary<string, string[]>? tags,
        TimeSpan? downsample, string downsampleFunction = "avg", string? aggregate = null);

    /// <summary>Writes validated points; returns them as written (for -PassThru).</summary>
    Task<IReadOnlyList<DataPoint>> WriteAsync(IReadOnlyList<ValidMetric> metrics, OpContext op);

    /// <summary>Streams the points of a query (see <see cref="MetricService.QueryAsync"/>).</summary>
    IAsyncEnumerable<DataPoint> QueryAsync(MetricQuery query, OpContext op);

    /// <summary>The metric names of a domain, sorted.</summary>
    IAsyncEnumerable<string> GetNamesAsync(string? domain, OpContext op);

    /// <summary>Each tag key of a metric with its values, sorted by key.</summary>
    IAsyncEnumerable<MetricTag> GetTagsAsync(string name, string? domain, OpContext op);
}
