using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>Gets the connection that the data cmdlets use by default.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaConnection")]
[OutputType(typeof(CimaaConnection))]
public sealed class GetCimaaConnectionCommand : CimaaCmdlet
{
    protected override bool WorksOnServer => true;

    protected override void EndProcessing() => WriteObject(ResolveConnection());
}
