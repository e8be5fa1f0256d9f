using System.Management.Automation;

namespace Cimaa.PowerShell.Commands;

/// <summary>Creates the missing tables, waits until they are ACTIVE, and validates the key schema of existing ones.</summary>
[Cmdlet(VerbsData.Initialize, "CimaaTable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("Cimaa.TableStatus")]
public sealed class InitializeCimaaTableCommand : CimaaCmdlet
{
    [Parameter]
    [ValidateSet("PayPerRequest", "Provisioned", IgnoreCase = true)]
    public string BillingMode { get; set; } = "PayPerRequest";

    [Parameter]
    [ValidateRange(1, 40000)]
    public long ReadCapacity { get; set; } = 5;

    [Parameter]
    [ValidateRange(1, 40000)]
    public long WriteCapacity { get; set; } = 5;

    [Parameter]
    [SecondsTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess(connection.ToString(), "Create missing Cimaa tables")) return;
        var provisioned = string.Equals(BillingMode, "Provisioned", StringComparison.OrdinalIgnoreCase);
        var options = new TableOptions(provisioned, ReadCapacity, WriteCapacity, Timeout);
        Stream(op => connection.Client.Tables.InitializeAsync(options, op));
    }
}
