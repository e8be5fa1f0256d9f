using System.Management.Automation;
using Cimaa.PowerShell.Completers;

namespace Cimaa.PowerShell.Commands;

/// <summary>Lists squelches sorted by pattern: all, exact patterns, or wildcards over the patterns.</summary>
[Cmdlet(VerbsCommon.Get, "CimaaSquelch")]
[OutputType("Cimaa.Squelch")]
public sealed class GetCimaaSquelchCommand : CimaaCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Regex")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SquelchPatternCompleter))]
    public string[]? Pattern { get; set; }

    [Parameter]
    [SecondsTransformation]
    public TimeSpan? OlderThan { get; set; }

    [Parameter]
    public SwitchParameter Expired { get; set; }

    private readonly List<string> _patterns = [];

    protected override void ProcessRecord()
    {
        if (Pattern is not null) _patterns.AddRange(Pattern);
    }

    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        Stream(op => connection.Client.Squelches.GetAsync(_patterns.Count > 0 ? _patterns : null, OlderThan, Expired, op));
    }
}
