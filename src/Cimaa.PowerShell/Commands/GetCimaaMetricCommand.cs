using System.Collections;
using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>Reads datapoints of metrics in a time range, optionally downsampled and aggregated. Points stream as they are read.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaMetric")]
[OutputType("Cimaa.DataPoint")]
public sealed class GetCimaaMetricCommand : CimaaCmdlet
{
    protected override bool WorksOnServer => true;

    private readonly List<string> _names = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Each key must be present with this value, or one of these values (an array).</summary>
    [Parameter]
    public IDictionary? Tags { get; set; }

    /// <summary>A DateTimeOffset, or a relative time such as -15m, -2h, -7d, -1w; read by Core against the connection's clock.</summary>
    [Parameter(Mandatory = true)]
    public object Start { get; set; } = null!;

    /// <summary>As Start; now when omitted.</summary>
    [Parameter]
    public object? End { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Domain { get; set; } = "default";

    [Parameter]
    [SecondsTransformation]
    public TimeSpan? Downsample { get; set; }

    [Parameter]
    [ValidateSet("avg", "sum", "min", "max", "count", "first", "last", IgnoreCase = true)]
    public string DownsampleFunction { get; set; } = "avg";

    [Parameter]
    [ValidateSet("avg", "sum", "min", "max", "dev", "count", "rate", IgnoreCase = true)]
    public string? Aggregate { get; set; }

    protected override void ProcessRecord() => _names.AddRange(Name);

    /// <summary>Core checks the times and the window (InvalidTime) before it reads anything.</summary>
    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        var tags = MetricInputs.Filter(Tags);
        Stream(op =>
        {
            var metrics = connection.Client.Metrics;
            var query = metrics.CreateQuery(_names, PSValues.Unwrap(Start), PSValues.Unwrap(End), Domain, tags, Downsample, DownsampleFunction, Aggregate);
            return metrics.QueryAsync(query, op);
        });
    }
}
