using System.Text.RegularExpressions;

namespace Cimaa.HelpGen;

/// <summary>
/// Reads one syntax line such as
/// <c>Get-CimaaFault [[-Agent] &lt;String[]&gt;] -Name &lt;String&gt; [-Force] [&lt;CommonParameters&gt;]</c>:
/// which parameters the set has, in order, and whether each is optional or positional.
/// </summary>
internal static partial class SyntaxParser
{
    [GeneratedRegex(@"\[|\]|<[^>]*>|\{[^}]*\}|[^\s\[\]<>{}]+")]
    private static partial Regex TokenRegex();

    /// <summary>Splits a syntax code block into lines that each start with the command name.</summary>
    public static IEnumerable<string> SplitItems(string commandName, string code)
    {
        string? current = null;
        foreach (string raw in code.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            if (current is not null && !line.StartsWith(commandName + " ", StringComparison.OrdinalIgnoreCase) && line != commandName)
            {
                current += " " + line;
                continue;
            }
            if (current is not null) yield return current;
            current = line;
        }
        if (current is not null) yield return current;
    }

    public static List<SyntaxParameter> Parse(string syntaxLine, int lineNumber)
    {
        // The first token is the command name.
        var tokens = TokenRegex().Matches(syntaxLine).Select(m => m.Value).Skip(1).ToList();
        var parameters = new List<SyntaxParameter>();
        int depth = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (token == "[") depth++;
            else if (token == "]" && --depth < 0) break;
            else if (token.Length > 1 && token[0] == '-')
            {
                string Next(int k) => i + k >= 0 && i + k < tokens.Count ? tokens[i + k] : "";
                // [-Name] <Type> is positional; the brackets around the name do not make it optional.
                bool positional = Next(-1) == "[" && Next(1) == "]" && IsValue(Next(2));
                int outerDepth = positional ? depth - 1 : depth;
                string value = positional ? Next(2) : Next(1);
                string? type = IsValue(value) ? value[1..^1].Trim() : null;
                parameters.Add(new SyntaxParameter(token[1..], outerDepth == 0, positional, type));
            }
        }
        if (depth != 0) throw new HelpFormatException(lineNumber, $"unbalanced brackets in syntax: {syntaxLine}");
        return parameters;
    }

    private static bool IsValue(string token) =>
        token.Length >= 2 && ((token[0] == '<' && token[^1] == '>') || (token[0] == '{' && token[^1] == '}'));
}
