using System.Buffers;
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Cimaa.PowerShell.Completers;

/// <summary>What the completers share: the connection to ask, prefix matching, quoting, and a bounded synchronous read.</summary>
internal static class CompleterSupport
{
    /// <summary>How long a completion read may take before it gives up (Tab must not hang on a slow store).</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(
        [' ', '\t', '\'', '"', '`', '$', ';', '(', ')', '{', '}', '@', '&', '|', '<', '>', ',',
         '\u2018', '\u2019', '\u201A', '\u201B', '\u201C', '\u201D', '\u201E']);

    /// <summary>
    /// Completes <paramref name="wordToComplete"/> from the values <paramref name="load"/> reads for the connection given
    /// with -Connection, else the session default, else the implicit connection when its store already exists. Without any,
    /// or when the read fails, it offers nothing: completion never creates a database file or folder.
    /// </summary>
    public static IEnumerable<CompletionResult> Complete(string kind, string? wordToComplete, IDictionary? fakeBoundParameters,
        Func<CimaaConnection, CancellationToken, IReadOnlyList<string>> load)
    {
        var connection = ConnectionFor(fakeBoundParameters);
        if (connection is null) return [];
        IReadOnlyList<string> values;
        try
        {
            values = Cached(connection, kind, () =>
            {
                using var timeout = new CancellationTokenSource(ReadTimeout);
                return load(connection, timeout.Token);
            });
        }
        catch (Exception)
        {
            return [];
        }
        return Match(values, wordToComplete).Select(v => new CompletionResult(Quote(v, wordToComplete), v, CompletionResultType.ParameterValue, v)).ToList();
    }

    /// <summary>
    /// -Connection from the command line (a CimaaConnection, possibly wrapped), else the session default, else the implicit
    /// connection ($env:CIMAA_CONFIG or the default SQLite file) if its store exists.
    /// </summary>
    public static CimaaConnection? ConnectionFor(IDictionary? fakeBoundParameters)
    {
        if (fakeBoundParameters is not null && fakeBoundParameters.Contains("Connection"))
        {
            var value = fakeBoundParameters["Connection"];
            if (PSValues.Unwrap(value) is CimaaConnection given) return given;
        }
        return SessionConnection.ForCompletion(Runspace.DefaultRunspace);
    }

    /// <summary>The values that start with the typed word, which may itself hold wildcards (the word plus '*'), sorted.</summary>
    public static IEnumerable<string> Match(IEnumerable<string> values, string? wordToComplete)
    {
        var word = Unquote(wordToComplete ?? "");
        Func<string, bool> isMatch;
        var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        try
        {
            pattern.IsMatch("");
            isMatch = pattern.IsMatch;
        }
        catch (WildcardPatternException)
        {
            isMatch = v => v.StartsWith(word, StringComparison.OrdinalIgnoreCase);
        }
        return values.Where(v => SafeMatch(isMatch, v, word)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }

    private static bool SafeMatch(Func<string, bool> isMatch, string value, string word)
    {
        try
        {
            return isMatch(value);
        }
        catch (WildcardPatternException)
        {
            return value.StartsWith(word, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Single-quotes a value that has spaces or characters PowerShell would parse, or when the user started a quote.</summary>
    public static string Quote(string value, string? wordToComplete)
    {
        var typedQuote = wordToComplete is { Length: > 0 } w && (w[0] == '\'' || w[0] == '"');
        var needs = value.Length == 0 || value.IndexOfAny(NeedsQuotes) >= 0 || value[0] is '#' or '-' or '[' || char.IsWhiteSpace(value[^1]);
        return needs || typedQuote ? "'" + value.Replace("'", "''") + "'" : value;
    }

    private static string Unquote(string word)
    {
        if (word.Length > 0 && (word[0] == '\'' || word[0] == '"'))
        {
            var quote = word[0];
            word = word[1..];
            if (word.Length > 0 && word[^1] == quote) word = word[..^1];
            if (quote == '\'') word = word.Replace("''", "'");
        }
        return word;
    }

    /// <summary>Runs an async read to completion on the thread pool (completers are synchronous); nothing is logged.</summary>
    public static IReadOnlyList<string> Collect<T>(Func<OpContext, IAsyncEnumerable<T>> source, Func<T, string> select, CancellationToken token) =>
        Task.Run(async () =>
        {
            var list = new List<string>();
            var op = new OpContext(NullOperationLog.Instance, token);
            await foreach (var item in source(op).WithCancellation(token).ConfigureAwait(false)) list.Add(select(item));
            return (IReadOnlyList<string>)list;
        }, token).GetAwaiter().GetResult();

    /// <summary>
    /// The values cached in the connection's client for <see cref="Lifetime"/> on its clock, so pressing Tab repeatedly sends
    /// one read per 30 seconds; a new connection (a new Connect-Cimaa) starts empty. A failed load caches nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IReadOnlyList<string> Cached(CimaaConnection connection, string kind, Func<IReadOnlyList<string>> load) =>
        connection.Client.Cache.GetOrLoad("completion:" + kind, Lifetime, load);

    /// <summary>How long completion values are kept.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
}
