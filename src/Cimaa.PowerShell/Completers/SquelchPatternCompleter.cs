using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;

namespace Cimaa.PowerShell.Completers;

/// <summary>Completes -Pattern with the squelch patterns stored on the connection in use.</summary>
public sealed class SquelchPatternCompleter : IArgumentCompleter
{
    public const string Kind = "SquelchPattern";

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompleterSupport.Complete(Kind, wordToComplete, fakeBoundParameters, ReadPatterns);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IReadOnlyList<string> ReadPatterns(CimaaConnection connection, CancellationToken token)
    {
        var op = new OpContext(NullOperationLog.Instance, token);
        return CompleterSupport.Collect(_ => connection.Client.Stores.Squelches.GetSquelchesAsync(op), s => s.Regex, token);
    }
}
