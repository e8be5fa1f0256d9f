using System.Management.Automation;
using Cimaa.Meta;

namespace Cimaa.PowerShell.Commands;

/// <summary>zc.cimaa's meta monitor: faults for stale agents and long-lived squelches, as objects or as the JSON check protocol.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "CimaaMetaCheck")]
[OutputType("Cimaa.Fault", "System.String")]
public sealed class InvokeCimaaMetaCheckCommand : CimaaCmdlet
{
    [Parameter]
    [SecondsTransformation]
    public TimeSpan Warning { get; set; } = TimeSpan.FromSeconds(120);

    [Parameter]
    [SecondsTransformation]
    public TimeSpan Error { get; set; } = TimeSpan.FromSeconds(300);

    [Parameter]
    [SecondsTransformation]
    public TimeSpan SquelchAge { get; set; } = TimeSpan.FromMinutes(60);

    [Parameter]
    public SwitchParameter AsJson { get; set; }

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        Run(async pump =>
        {
            var faults = await connection.Client.Meta.RunAsync(new MetaCheckOptions(Warning, Error, SquelchAge), pump.Context);
            if (AsJson) pump.Emit(MetaCheck.ToJson(faults));
            else foreach (var f in faults) pump.Emit(f);
        });
    }
}
