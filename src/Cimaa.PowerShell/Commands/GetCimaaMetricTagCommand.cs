using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>Emits each tag key of a metric with its values, sorted by key.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaMetricTag")]
[OutputType("Cimaa.MetricTag")]
public sealed class GetCimaaMetricTagCommand : CimaaCmdlet
{
    protected override bool WorksOnServer => true;

    private readonly List<string> _names = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Domain { get; set; } = "default";

    protected override void ProcessRecord() => _names.Add(Name);

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        Run(async pump =>
        {
            var service = connection.Client.Metrics;
            foreach (var name in _names)
            {
                await foreach (var tag in service.GetTagsAsync(name, Domain, pump.Context).WithCancellation(pump.Context.Token)) pump.Emit(tag);
            }
        });
    }
}
