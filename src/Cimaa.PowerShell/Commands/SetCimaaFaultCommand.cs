using System.Management.Automation;
using Cimaa.Faults;
using Cimaa.PowerShell.Completers;

namespace Cimaa.PowerShell.Commands;

/// <summary>
/// Replaces an agent's faults with the faults received (or, with -Check, the check's faults), then writes its heartbeat.
/// All input is validated before anything is written. The agent named with -Agent is replaced even when no record arrives
/// (an empty pipeline, or a Where-Object that let nothing through): its faults are cleared and its heartbeat written.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CimaaFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("Cimaa.Fault")]
public sealed class SetCimaaFaultCommand : CimaaCmdlet
{
    private readonly List<(string Agent, string? Name, object? Severity, string? Message, object? Triggered)> _inputs = [];
    private readonly List<string> _agents = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(AgentCompleter))]
    public string Agent { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Check { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowNull]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public object? Severity { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowNull]
    public string? Message { get; set; }

    /// <summary>
    /// Typed Object so that what a record carries ('True' from Import-Csv, 'y', 1) reaches validation as given: a SwitchParameter
    /// would turn strings into a binding error per record, or into false.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public object? Triggered { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// Each piped record, so that every record reaches ProcessRecord: a $null record is no fault, and a record none of whose
    /// properties bind is an invalid fault (terminating, nothing written) instead of a skipped record.
    /// </summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        // An agent given on the command line is replaced even if the pipeline turns out to be empty (ProcessRecord never runs).
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Agent))) _agents.Add(Agent);
    }

    protected override void ProcessRecord()
    {
        _agents.Add(Agent);
        if (MyInvocation.ExpectingInput && InputObject is null) return;
        var fromCommandLine = !MyInvocation.ExpectingInput && (MyInvocation.BoundParameters.ContainsKey(nameof(Name))
            || MyInvocation.BoundParameters.ContainsKey(nameof(Severity)));
        if (MyInvocation.ExpectingInput || fromCommandLine)
        {
            var triggered = PSValues.Unwrap(Triggered);
            if (triggered is SwitchParameter sw) triggered = sw.IsPresent;
            _inputs.Add((Agent, Name, PSValues.Unwrap(Severity), Message, triggered));
        }
    }

    protected override void EndProcessing()
    {
        IReadOnlyDictionary<string, List<ValidFault>> valid;
        try
        {
            valid = FaultValidation.Validate(_agents, _inputs.Select(i => new FaultInput(i.Agent, i.Name, i.Severity, i.Message, i.Triggered)), Check);
        }
        catch (CimaaException e)
        {
            ThrowTerminatingError(ToErrorRecord(e));
            return;
        }
        var approved = valid.Where(kv => ShouldProcess($"agent {kv.Key}",
                Check is null ? $"Replace all faults with {kv.Value.Count} faults" : $"Replace the faults of check '{Check}' with {kv.Value.Count} faults"))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (approved.Count == 0) return;
        var connection = ResolveConnection();
        RunBatch(connection, async (op, _) =>
        {
            var stored = await connection.Client.Faults.SetAsync(approved, Check, op);
            return PassThru ? stored : [];
        });
    }
}
