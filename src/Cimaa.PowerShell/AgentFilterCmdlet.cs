using System.Management.Automation;
using Cimaa.PowerShell.Completers;

namespace Cimaa.PowerShell;

/// <summary>
/// A reading cmdlet filtered by agent names or wildcards (-Agent, position 0, from the pipeline by property name).
/// The names of every input record are collected, and the read runs once in EndProcessing.
/// </summary>
public abstract class AgentFilterCmdlet : CimaaCmdlet
{
    private readonly List<string> _agents = [];

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AgentCompleter))]
    public string[]? Agent { get; set; }

    /// <summary>Every agent pattern received, or null for all agents.</summary>
    protected IReadOnlyList<string>? AgentPatterns => _agents.Count > 0 ? _agents : null;

    protected override void ProcessRecord()
    {
        if (Agent is not null) _agents.AddRange(Agent);
    }
}
