using System.Management.Automation;

namespace FloorModule;

/// <summary>
/// Binds piped records exactly as Set-CimaaFault declares its parameters (Agent, Name, Severity, Message, Triggered by property
/// name, and the record itself), and does nothing with them.
/// </summary>
[Cmdlet(VerbsCommon.Set, "FloorFault", SupportsShouldProcess = true)]
public sealed class SetFloorFaultCommand : PSCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Agent { get; set; } = "";

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

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public object? Triggered { get; set; }

    [Parameter(ValueFromPipeline = true, DontShow = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    protected override void ProcessRecord()
    {
    }
}
