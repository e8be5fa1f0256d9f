using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;

namespace Cimaa.PowerShell.Completers;

/// <summary>
/// The base of the completers that offer values read from the connection in use (<see cref="CompleterSupport.Complete"/>:
/// which connection, the cache, matching, quoting). A completer names its values (the cache key) and reads them.
/// </summary>
/// <remarks>
/// Completer types are loaded when PowerShell reads the cmdlets' parameter attributes, before Core can load, so their
/// signatures use BCL types only, and the reads, which call Core, are non-inlined overrides.
/// </remarks>
public abstract class StoreCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var kind = Kind(fakeBoundParameters);
        return kind is null ? [] : CompleterSupport.Complete(kind, wordToComplete, fakeBoundParameters, (c, t) => Read(c, fakeBoundParameters, t));
    }

    /// <summary>What the values are, the key they are cached under for a connection; null offers nothing.</summary>
    protected abstract string? Kind(IDictionary fakeBoundParameters);

    /// <summary>Reads the values from the connection (on the thread pool, cancelled after the completion timeout).</summary>
    protected abstract IReadOnlyList<string> Read(CimaaConnection connection, IDictionary fakeBoundParameters, CancellationToken token);
}

/// <summary>Completes -Agent with the agents that have a heartbeat on the connection in use.</summary>
public sealed class AgentCompleter : StoreCompleter
{
    protected override string Kind(IDictionary fakeBoundParameters) => "Agent";

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override IReadOnlyList<string> Read(CimaaConnection connection, IDictionary fakeBoundParameters, CancellationToken token) =>
        CompleterSupport.Collect(op => connection.Client.Stores.Faults.GetHeartbeatsAsync(op), h => h.Agent, token);
}

/// <summary>Completes -Pattern with the squelch patterns stored on the connection in use.</summary>
public sealed class SquelchPatternCompleter : StoreCompleter
{
    protected override string Kind(IDictionary fakeBoundParameters) => "SquelchPattern";

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override IReadOnlyList<string> Read(CimaaConnection connection, IDictionary fakeBoundParameters, CancellationToken token) =>
        CompleterSupport.Collect(op => connection.Client.Stores.Squelches.GetSquelchesAsync(op), s => s.Regex, token);
}

/// <summary>Completes -Store with the configuration stores in the table of the connection in use.</summary>
public sealed class ConfigStoreCompleter : StoreCompleter
{
    protected override string Kind(IDictionary fakeBoundParameters) => "ConfigStore";

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override IReadOnlyList<string> Read(CimaaConnection connection, IDictionary fakeBoundParameters, CancellationToken token) =>
        CompleterSupport.Collect(op => connection.Client.Stores.Config.GetConfigStoreNamesAsync(op), s => s, token);
}

/// <summary>Completes -Option with the options of the store already given with -Store; nothing without it.</summary>
public sealed class ConfigOptionCompleter : StoreCompleter
{
    protected override string? Kind(IDictionary fakeBoundParameters) => Store(fakeBoundParameters) is { } store ? "ConfigOption:" + store : null;

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected override IReadOnlyList<string> Read(CimaaConnection connection, IDictionary fakeBoundParameters, CancellationToken token) =>
        CompleterSupport.Collect(op => connection.Client.Stores.Config.GetConfigOptionsAsync(Store(fakeBoundParameters)!, false, op), o => o.Option, token);

    private static string? Store(IDictionary? fakeBoundParameters) =>
        fakeBoundParameters?["Store"] is string { Length: > 0 } store ? store : null;
}
