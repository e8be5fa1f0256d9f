using System.Management.Automation;
using Cimaa.Squelches;

namespace Cimaa.PowerShell.Commands;

/// <summary>Silences faults whose names match a regex.</summary>
[Cmdlet(VerbsCommon.Add, "CimaaSquelch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "NoExpiry")]
[OutputType("Cimaa.Squelch")]
public sealed class AddCimaaSquelchCommand : CimaaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Regex")]
    [ValidateNotNullOrEmpty]
    public string Pattern { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    public SwitchParameter Permanent { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Duration")]
    [SecondsTransformation]
    public TimeSpan Duration { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Until")]
    public DateTimeOffset Until { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private readonly List<(string Pattern, string Reason, string User, bool Permanent, TimeSpan? Duration, DateTimeOffset? Until, bool Force)> _requests = [];

    protected override void ProcessRecord()
    {
        _requests.Add((Pattern, Reason, User ?? SquelchService.DefaultUser(), Permanent,
            ParameterSetName == "Duration" ? Duration : null, ParameterSetName == "Until" ? Until : null, Force));
    }

    protected override void EndProcessing()
    {
        var service = ResolveConnection().Client.Squelches;
        var requests = _requests.Select(r => new SquelchRequest(r.Pattern, r.Reason, r.User, r.Permanent, r.Duration, r.Until, r.Force)).ToList();
        try
        {
            foreach (var r in requests) service.Validate(r);
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
        }
        var approved = requests.Where(r => ShouldProcess($"squelch '{r.Pattern}'", r.Force ? "Add or replace" : "Add")).ToList();
        if (approved.Count == 0) return;
        Run(async pump =>
        {
            foreach (var r in approved)
            {
                try
                {
                    var added = await service.AddAsync(r, pump.Context);
                    if (PassThru) pump.Emit(added);
                }
                catch (CimaaException e) when (e.ErrorId == ErrorIds.SquelchExists)
                {
                    pump.Error(e);
                }
            }
        });
    }
}
