using System.Text.RegularExpressions;

namespace Cimaa.Squelches;

/// <summary>
/// A squelch regex as zc.cimaa agents apply it: Python <c>re.search</c> semantics (a match anywhere), case-sensitive.
/// Python's named-group spellings <c>(?P&lt;n&gt;...)</c> and <c>(?P=n)</c> are accepted. Each match has a 100 ms timeout.
/// </summary>
public static partial class SquelchPattern
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Compiles the pattern, or throws InvalidSquelchPattern naming it and why.</summary>
    public static Regex Parse(string pattern)
    {
        if (string.IsNullOrEmpty(pattern))
            throw new CimaaException(ErrorIds.InvalidSquelchPattern, CimaaErrorCategory.InvalidArgument, "The squelch pattern is empty.", pattern);
        try
        {
            return new Regex(FromPython(pattern), RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new CimaaException(ErrorIds.InvalidSquelchPattern, CimaaErrorCategory.InvalidArgument,
                $"The squelch pattern '{pattern}' is not a valid regular expression: {e.Message}", pattern, e);
        }
    }

    /// <summary>True when the regex matches somewhere in the name; a timeout is no match, reported through <paramref name="onTimeout"/>.</summary>
    public static bool Matches(Regex regex, string name, Action<string>? onTimeout)
    {
        try
        {
            return regex.IsMatch(name);
        }
        catch (RegexMatchTimeoutException)
        {
            onTimeout?.Invoke($"The squelch pattern '{regex}' timed out ({MatchTimeout.TotalMilliseconds:0} ms) on '{name}'; counted as no match.");
            return false;
        }
    }

    private static string FromPython(string pattern) => PythonBackReference().Replace(PythonNamedGroup().Replace(pattern, "(?<"), @"\k<$1>");

    [GeneratedRegex(@"(?<!\\)\(\?P<")]
    private static partial Regex PythonNamedGroup();

    [GeneratedRegex(@"(?<!\\)\(\?P=(\w+)\)")]
    private static partial Regex PythonBackReference();
}

/// <summary>Finds the first current squelch (by pattern order) whose regex matches a fault name.</summary>
public sealed class SquelchMatcher
{
    private readonly List<(string Pattern, Regex Regex)> _current = [];
    private readonly Action<string>? _onTimeout;
    private readonly HashSet<string> _warned = [];

    public SquelchMatcher(IEnumerable<Squelch> squelches, Action<string>? onTimeout)
    {
        _onTimeout = onTimeout;
        foreach (var s in squelches.Where(s => !s.IsExpired).OrderBy(s => s.Pattern, StringComparer.Ordinal))
        {
            try
            {
                _current.Add((s.Pattern, SquelchPattern.Parse(s.Pattern)));
            }
            catch (CimaaException e)
            {
                // A pattern another tool stored that .NET cannot parse silences nothing; say so once.
                onTimeout?.Invoke(e.Message);
            }
        }
    }

    public string? Match(string faultName)
    {
        foreach (var (pattern, regex) in _current)
        {
            if (SquelchPattern.Matches(regex, faultName, Warn(pattern))) return pattern;
        }
        return null;
    }

    /// <summary>One timeout warning per pattern per command, so a bad pattern cannot flood the warning stream.</summary>
    private Action<string>? Warn(string pattern) => _onTimeout is null ? null : message =>
    {
        lock (_warned)
        {
            if (!_warned.Add(pattern)) return;
        }
        _onTimeout(message);
    };
}
