using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;

namespace Cimaa.PowerShell.Completers;

/// <summary>Completes -Store with the configuration stores in the table of the connection in use.</summary>
public sealed class ConfigStoreCompleter : IArgumentCompleter
{
    public const string Kind = "ConfigStore";

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompleterSupport.Complete(Kind, wordToComplete, fakeBoundParameters, ReadStores);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IReadOnlyList<string> ReadStores(CimaaConnection connection, CancellationToken token)
    {
        var op = new OpContext(NullOperationLog.Instance, token);
        return CompleterSupport.Collect(_ => connection.Client.Stores.Config.GetConfigStoreNamesAsync(op), s => s, token);
    }
}

/// <summary>Completes -Option with the options of the store already given with -Store.</summary>
public sealed class ConfigOptionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (fakeBoundParameters?["Store"] is not string store || store.Length == 0) return [];
        return CompleterSupport.Complete("ConfigOption:" + store, wordToComplete, fakeBoundParameters,
            (connection, token) => ReadOptions(connection, store, token));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IReadOnlyList<string> ReadOptions(CimaaConnection connection, string store, CancellationToken token)
    {
        var op = new OpContext(NullOperationLog.Instance, token);
        return CompleterSupport.Collect(_ => connection.Client.Stores.Config.GetConfigOptionsAsync(store, false, op), o => o.Option, token);
    }
}
