using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;

namespace Cimaa.PowerShell.Completers;

/// <summary>Completes -Agent with the agents that have a heartbeat on the connection in use.</summary>
public sealed class AgentCompleter : IArgumentCompleter
{
    public const string Kind = "Agent";

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompleterSupport.Complete(Kind, wordToComplete, fakeBoundParameters, ReadAgents);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IReadOnlyList<string> ReadAgents(CimaaConnection connection, CancellationToken token)
    {
        var op = new OpContext(NullOperationLog.Instance, token);
        return CompleterSupport.Collect(_ => connection.Client.Stores.Faults.GetHeartbeatsAsync(op), h => h.Agent, token);
    }
}
