namespace Cimaa.Metrics;

/// <summary>
/// What the metric cmdlets ask of a connection: <see cref="MetricService"/> over a store, or
/// <see cref="Storage.Http.ServerMetricClient"/> through a metrics server.
/// </summary>
public interface IMetricClient
{
    /// <summary>Writes validated points; returns them as written (for -PassThru).</summary>
    Task<IReadOnlyList<DataPoint>> WriteAsync(IReadOnlyList<ValidMetric> metrics, OpContext op);

    /// <summary>Streams the points of a query (see <see cref="MetricService.QueryAsync"/>).</summary>
    IAsyncEnumerable<DataPoint> QueryAsync(MetricQuery query, OpContext op);

    /// <summary>The metric names of a domain, sorted.</summary>
    IAsyncEnumerable<string> GetNamesAsync(string? domain, OpContext op);

    /// <summary>Each tag key of a metric with its values, sorted by key.</summary>
    IAsyncEnumerable<MetricTag> GetTagsAsync(string name, string? domain, OpContext op);
}
