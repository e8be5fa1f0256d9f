using System.Text;
using System.Text.RegularExpressions;

namespace Cimaa;

/// <summary>
/// PowerShell-style wildcards (*, ?, [abc], [a-z], backtick escapes), matched against the whole text. Matching is
/// case-sensitive (ordinal), unlike PowerShell's own wildcards: agent names, fault names, squelch patterns, stores and options
/// are keys, and DynamoDB and SQLite look keys up case-sensitively, so an exact name and a wildcard must agree with them.
/// Core has no PowerShell reference, so this is its own small implementation.
/// </summary>
public sealed class Wildcard
{
    private readonly Regex? _regex;
    private readonly string _literal;

    public Wildcard(string pattern)
    {
        Pattern = pattern;
        _literal = Unescape(pattern);
        if (HasWildcards(pattern)) _regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant);
    }

    public string Pattern { get; }

    /// <summary>True when the pattern has *, ? or [ that is not escaped.</summary>
    public bool IsWildcard => _regex is not null;

    /// <summary>The pattern without escapes, for exact lookups when it has no wildcards.</summary>
    public string Literal => _literal;

    public bool IsMatch(string text) => _regex?.IsMatch(text) ?? string.Equals(text, _literal, StringComparison.Ordinal);

    public static bool HasWildcards(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '`') { i++; continue; }
            if (pattern[i] is '*' or '?' or '[') return true;
        }
        return false;
    }

    /// <summary>Matches when any pattern matches; no patterns match everything.</summary>
    public static Func<string, bool> AnyOf(IReadOnlyCollection<string>? patterns)
    {
        if (patterns is null || patterns.Count == 0) return static _ => true;
        var compiled = patterns.Select(p => new Wildcard(p)).ToArray();
        return text => compiled.Any(w => w.IsMatch(text));
    }

    private static string Unescape(string pattern)
    {
        var sb = new StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '`' && i + 1 < pattern.Length) i++;
            sb.Append(pattern[i]);
        }
        return sb.ToString();
    }

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0) { sb.Append(@"\["); break; }
                    var set = pattern[(i + 1)..end].Replace(@"\", @"\\").Replace("^", @"\^");
                    sb.Append('[').Append(set).Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return sb.Append('$').ToString();
    }
}
