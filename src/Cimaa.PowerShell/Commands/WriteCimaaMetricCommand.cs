using System.Collections;
using System.Management.Automation;
using Cimaa.Metrics;

namespace Cimaa.PowerShell.Commands;

/// <summary>
/// Writes datapoints. Input is collected, validated as a whole (InvalidMetric stops everything), and written in EndProcessing,
/// 25 items per DynamoDB batch.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "CimaaMetric", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("Cimaa.DataPoint")]
public sealed class WriteCimaaMetricCommand : CimaaCmdlet
{
    protected override bool WorksOnServer => true;

    private readonly List<(string? Name, object? Value, List<KeyValuePair<object?, object?>>? Tags, DateTimeOffset? Timestamp, string? Domain)> _inputs = [];

    /// <summary>Not Mandatory on purpose: a piped record without a Name must reach validation, so that nothing is written.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowNull]
    public string? Name { get; set; }

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public object? Value { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public IDictionary? Tags { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTimeOffset? Timestamp { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? Domain { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() =>
        _inputs.Add((Name, PSValues.Unwrap(Value), MetricInputs.Pairs(Tags), Timestamp, Domain));

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        List<ValidMetric> valid;
        try
        {
            valid = MetricValidation.Validate(_inputs.Select(i => new MetricInput(i.Name, i.Value, i.Tags, i.Timestamp, i.Domain)),
                connection.Clock.GetUtcNow());
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
            return;
        }
        if (valid.Count == 0) return;
        var names = valid.Select(v => v.Name).Distinct(StringComparer.Ordinal).ToList();
        var target = names.Count == 1 ? $"metric '{names[0]}'" : $"{names.Count} metrics";
        if (!ShouldProcess(target, $"Write {valid.Count} datapoints")) return;
        RunBatch(connection, async (op, _) =>
        {
            var written = await connection.Client.Metrics.WriteAsync(valid, op);
            return PassThru ? written : [];
        });
    }
}
