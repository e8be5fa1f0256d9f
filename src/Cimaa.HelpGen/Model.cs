namespace Cimaa.HelpGen;

/// <summary>One cmdlet help page, as read from a PlatyPS markdown file.</summary>
public sealed class CommandHelp
{
    public required string Name { get; init; }
    public required string Synopsis { get; init; }
    public IReadOnlyList<string> Description { get; init; } = [];
    public IReadOnlyList<SyntaxItem> Syntax { get; init; } = [];

    /// <summary>One entry per yaml block: a parameter whose metadata differs between sets has several.</summary>
    public IReadOnlyList<ParameterHelp> Parameters { get; init; } = [];
    public IReadOnlyList<ExampleHelp> Examples { get; init; } = [];
    public IReadOnlyList<TypeHelp> Inputs { get; init; } = [];
    public IReadOnlyList<TypeHelp> Outputs { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];
    public IReadOnlyList<LinkHelp> Links { get; init; } = [];

    public string Verb => Name.Contains('-') ? Name[..Name.IndexOf('-')] : "";
    public string Noun => Name.Contains('-') ? Name[(Name.IndexOf('-') + 1)..] : Name;

    /// <summary>The documented parameter for a set: the yaml block naming the set, else the first block with that name.</summary>
    public ParameterHelp? FindParameter(string name, string? setName) =>
        Parameters.FirstOrDefault(p => Same(p.Name, name) && setName is not null && p.ParameterSets.Any(s => Same(s, setName)))
        ?? Parameters.FirstOrDefault(p => Same(p.Name, name));

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One parameter set, from a syntax code block: <c>### Name (Default)</c>.</summary>
public sealed record SyntaxItem(string? SetName, bool IsDefault, IReadOnlyList<SyntaxParameter> Parameters);

/// <summary>A parameter as it appears in a syntax line; <see cref="TypeName"/> is null for a switch.</summary>
public sealed record SyntaxParameter(string Name, bool Required, bool Positional, string? TypeName);

public sealed class ParameterHelp
{
    public required string Name { get; init; }
    public IReadOnlyList<string> Description { get; init; } = [];
    public required string Type { get; init; }

    /// <summary>Empty means <c>(All)</c>.</summary>
    public IReadOnlyList<string> ParameterSets { get; init; } = [];
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public IReadOnlyList<string> AcceptedValues { get; init; } = [];
    public bool Required { get; init; }

    /// <summary>Null means <c>Named</c>.</summary>
    public int? Position { get; init; }
    public string DefaultValue { get; init; } = "None";

    /// <summary>As written: <c>False</c>, <c>True (ByValue)</c>, <c>True (ByPropertyName, ByValue)</c>.</summary>
    public string PipelineInput { get; init; } = "False";
    public bool Globbing { get; init; }

    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";
}

public sealed record ExampleHelp(string Title, string Code, string? Output, IReadOnlyList<string> Remarks);

/// <summary>An INPUTS or OUTPUTS entry.</summary>
public sealed record TypeHelp(string Name, IReadOnlyList<string> Description);

/// <summary>A related link; <see cref="Uri"/> is null for a relative link such as <c>Set-CimaaFault.md</c>.</summary>
public sealed record LinkHelp(string Text, string? Uri);

/// <summary>A malformed page; <see cref="Line"/> is 1-based.</summary>
public sealed class HelpFormatException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
