using System.Management.Automation;
using Cimaa.Faults;
using Cimaa.PowerShell.Completers;
using Cimaa.Squelches;

namespace Cimaa.PowerShell.Commands;

/// <summary>Previews a squelch: emits the current faults whose names the pattern would match. Writes nothing.</summary>
[Cmdlet(VerbsDiagnostic.Test, "CimaaSquelch")]
[OutputType("Cimaa.Fault")]
public sealed class TestCimaaSquelchCommand : CimaaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Regex")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SquelchPatternCompleter))]
    public string Pattern { get; set; } = "";

    protected override void ProcessRecord()
    {
        System.Text.RegularExpressions.Regex regex;
        try
        {
            regex = SquelchPattern.Parse(Pattern);
        }
        catch (CimaaException e)
        {
            WriteError(ToErrorRecord(e));
            return;
        }
        var connection = ResolveConnection();
        Stream(op => connection.Client.Faults.GetAsync(new FaultQuery(), regex, op));
    }
}
