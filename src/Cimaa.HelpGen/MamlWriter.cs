using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Cimaa.HelpGen;

/// <summary>Writes commands as a MAML help file, the <c>&lt;Assembly&gt;.dll-Help.xml</c> that Get-Help reads.</summary>
public static class MamlWriter
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private const string Dashes = "--------------------------";

    public static XDocument Write(IEnumerable<CommandHelp> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "command", Command.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "dev", Dev.NamespaceName),
                commands.Select(WriteCommand)));

    public static void Save(IEnumerable<CommandHelp> commands, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var writer = XmlWriter.Create(path, settings);
        Write(commands).Save(writer);
    }

    public static XElement WriteCommand(CommandHelp help) =>
        new(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                Description([help.Synopsis]),
                new XElement(Command + "verb", help.Verb),
                new XElement(Command + "noun", help.Noun)),
            Description(help.Description),
            new XElement(Command + "syntax", SyntaxItems(help).Select(item => WriteSyntaxItem(help, item))),
            new XElement(Command + "parameters",
                help.Parameters.DistinctBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(WriteParameter)),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => WriteType("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => WriteType("returnValue", t))),
            help.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(WriteExample)),
            new XElement(Command + "relatedLinks", help.Links.Select(link =>
                new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", link.Text),
                    new XElement(Maml + "uri", link.Uri ?? "")))));

    /// <summary>The page's syntax blocks; without any, one set holding every documented parameter.</summary>
    private static IReadOnlyList<SyntaxItem> SyntaxItems(CommandHelp help) =>
        help.Syntax.Count > 0
            ? help.Syntax
            : [new SyntaxItem(null, true, help.Parameters.DistinctBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                .Select(p => new SyntaxParameter(p.Name, p.Required, p.Position is not null, p.IsSwitch ? null : p.Type))
                .ToList())];

    private static XElement WriteSyntaxItem(CommandHelp help, SyntaxItem item) =>
        new(Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            item.Parameters.Select((syntax, index) =>
            {
                var documented = help.FindParameter(syntax.Name, item.SetName);
                string? type = documented?.Type ?? syntax.TypeName;
                bool isSwitch = documented?.IsSwitch ?? syntax.TypeName is null;
                // An undocumented positional parameter gets its position from the syntax line.
                int? position = documented is not null ? documented.Position
                    : syntax.Positional ? item.Parameters.Take(index).Count(p => p.Positional) : null;
                return new XElement(Command + "parameter",
                    ParameterAttributes(syntax.Required, type, documented?.Globbing ?? false, documented?.PipelineInput ?? "False", position, documented?.Aliases ?? []),
                    new XElement(Maml + "name", syntax.Name),
                    AcceptedValues(documented),
                    isSwitch ? null : ParameterValue(required: true, type));
            }));

    private static XElement WriteParameter(ParameterHelp p) =>
        new(Command + "parameter",
            ParameterAttributes(p.Required, p.Type, p.Globbing, p.PipelineInput, p.Position, p.Aliases),
            new XElement(Maml + "name", p.Name),
            Description(p.Description),
            AcceptedValues(p),
            ParameterValue(required: !p.IsSwitch, p.Type),
            new XElement(Dev + "type", new XElement(Maml + "name", p.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", p.DefaultValue));

    private static XAttribute[] ParameterAttributes(bool required, string? type, bool globbing, string pipelineInput, int? position, IReadOnlyList<string> aliases) =>
    [
        new("required", Bool(required)),
        new("variableLength", Bool(type?.EndsWith("[]", StringComparison.Ordinal) == true)),
        new("globbing", Bool(globbing)),
        new("pipelineInput", pipelineInput),
        new("position", position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
        new("aliases", aliases.Count == 0 ? "none" : string.Join(", ", aliases)),
    ];

    private static XElement ParameterValue(bool required, string? type) =>
        new(Command + "parameterValue", new XAttribute("required", Bool(required)), new XAttribute("variableLength", "false"), type ?? "");

    private static XElement? AcceptedValues(ParameterHelp? p) =>
        p is null || p.AcceptedValues.Count == 0
            ? null
            : new XElement(Command + "parameterValueGroup", p.AcceptedValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)));

    private static XElement WriteType(string elementName, TypeHelp type) =>
        new(Command + elementName,
            new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
            Description(type.Description));

    private static XElement WriteExample(ExampleHelp example) =>
        new(Command + "example",
            new XElement(Maml + "title", $"{Dashes} {example.Title} {Dashes}"),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", Paras(example.Output is null ? example.Remarks : [example.Output, .. example.Remarks])));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
        paragraphs.Where(p => p.Length > 0).Select(p => new XElement(Maml + "para", p));

    private static string Bool(bool value) => value ? "true" : "false";
}
