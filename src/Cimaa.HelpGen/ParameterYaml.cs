using System.Text.RegularExpressions;

namespace Cimaa.HelpGen;

/// <summary>
/// Reads the yaml block PlatyPS writes under each <c>### -Name</c> heading: flat <c>Key: value</c> lines
/// (Type, Parameter Sets, Aliases, Accepted values, Required, Position, Default value,
/// Accept pipeline input, Accept wildcard characters). Unknown keys are ignored.
/// </summary>
internal static partial class ParameterYaml
{
    [GeneratedRegex(@"^([A-Za-z][A-Za-z ]*?)\s*:\s*(.*)$")]
    private static partial Regex KeyValueRegex();

    /// <param name="line">The line of the opening fence; the yaml starts on the next line.</param>
    public static ParameterHelp Parse(string name, IReadOnlyList<string> description, string yaml, int line)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        string[] lines = yaml.Split('\n');
        for (int j = 0; j < lines.Length; j++)
        {
            string text = lines[j].Trim();
            if (text.Length == 0 || text[0] == '#') continue;
            var match = KeyValueRegex().Match(text);
            if (!match.Success) throw new HelpFormatException(line + 1 + j, $"parameter -{name}: cannot parse yaml line '{text}'");
            values[match.Groups[1].Value] = (match.Groups[2].Value.Trim(), line + 1 + j);
        }

        string Get(string key, string fallback = "") => values.TryGetValue(key, out var v) && v.Value.Length > 0 ? v.Value : fallback;
        int LineOf(string key) => values.TryGetValue(key, out var v) ? v.Line : line;

        bool Bool(string key)
        {
            string text = Get(key, "False");
            return bool.TryParse(text, out bool result)
                ? result
                : throw new HelpFormatException(LineOf(key), $"parameter -{name}: '{key}' must be True or False, not '{text}'");
        }

        string type = Get("Type");
        if (type.Length == 0) throw new HelpFormatException(LineOf("Type"), $"parameter -{name}: the yaml block has no Type");

        string position = Get("Position", "Named");
        int? positionNumber = null;
        if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(position, out int number) || number < 0)
                throw new HelpFormatException(LineOf("Position"), $"parameter -{name}: Position must be a number or Named, not '{position}'");
            positionNumber = number;
        }

        string sets = Get("Parameter Sets", "(All)");
        return new ParameterHelp
        {
            Name = name,
            Description = description,
            Type = type,
            ParameterSets = sets.Equals("(All)", StringComparison.OrdinalIgnoreCase) ? [] : List(sets),
            Aliases = List(Get("Aliases")),
            AcceptedValues = List(Get("Accepted values")),
            Required = Bool("Required"),
            Position = positionNumber,
            DefaultValue = Get("Default value", "None"),
            PipelineInput = Get("Accept pipeline input", "False"),
            Globbing = Bool("Accept wildcard characters"),
        };
    }

    private static string[] List(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
