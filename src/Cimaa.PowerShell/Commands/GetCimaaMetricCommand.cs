using System.Collections;
using System.Management.Automation;
using Cimaa.Metrics;

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

    /// <summary>A DateTimeOffset, or a relative time such as -15m, -2h, -7d, -1w.</summary>
    [Parameter(Mandatory = true)]
    [MetricTimeTransformation]
    public object Start { get; set; } = null!;

    /// <summary>As Start; now when omitted.</summary>
    [Parameter]
    [MetricTimeTransformation]
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

    protected override void EndProcessing()
    {
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset start, end;
        try
        {
            start = MetricTimeParser.Parse(Start, now);
            end = End is null ? now : MetricTimeParser.Parse(End, now);
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
            return;
        }
        if (Downsample is { } window && window.TotalMilliseconds < 1)
        {
            ThrowTerminatingError(InvalidArgument(ErrorIds.InvalidTime, $"The downsample window '{window}' must be at least one millisecond.", window));
        }
        if (end < start)
        {
            ThrowTerminatingError(ToErrorRecord(new CimaaException(ErrorIds.InvalidTime, CimaaErrorCategory.InvalidArgument,
                $"The start {start:o} is after the end {end:o}.", Start)));
        }
        var connection = ResolveConnection();
        var query = new MetricQuery(_names, start, end, Domain, MetricInputs.Filter(Tags), Downsample,
            Enum.Parse<DownsampleFunction>(DownsampleFunction, ignoreCase: true),
            Aggregate is null ? null : Enum.Parse<AggregateFunction>(Aggregate, ignoreCase: true));
        Stream(op => connection.Metrics.QueryAsync(query, op));
    }
}
