using System.Text.RegularExpressions;

namespace Cimaa.HelpGen;

/// <summary>Reads a PlatyPS (schema 2.0.0) markdown help page into a <see cref="CommandHelp"/>.</summary>
public static partial class HelpReader
{
    [GeneratedRegex(@"^(.*?)\s*(\(Default\))?$")]
    private static partial Regex SetHeadingRegex();

    [GeneratedRegex(@"\[([^\]]*)\]\(([^)\s]*)\)")]
    private static partial Regex LinkRegex();

    private static readonly string[] PowerShellInfos = ["powershell", "pwsh", "ps", "ps1", "posh"];

    /// <exception cref="HelpFormatException">The page is malformed.</exception>
    public static CommandHelp Read(string markdown)
    {
        string[] lines = markdown.ReplaceLineEndings("\n").Split('\n');
        int start = ReadFrontMatter(lines, out var frontMatter);
        var blocks = MarkdownBlocks.Parse(lines, start);

        var title = blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading);
        if (title is null || title.Level != 1)
            throw new HelpFormatException(title?.Line ?? start + 1, "the page has no '# <command name>' title");
        var sections = ReadSections(blocks);
        if (!sections.TryGetValue("SYNOPSIS", out var synopsis))
            throw new HelpFormatException(title.Line, "the page has no '## SYNOPSIS' section");

        List<Block> Section(string name) => sections.GetValueOrDefault(name) ?? [];
        return new CommandHelp
        {
            Name = title.Text,
            Synopsis = string.Join(' ', Paragraphs(synopsis)),
            Description = Paragraphs(Section("DESCRIPTION")),
            Syntax = ReadSyntax(title.Text, Section("SYNTAX")),
            Parameters = ReadParameters(Section("PARAMETERS")),
            Examples = ReadExamples(Section("EXAMPLES")),
            Inputs = ReadTypes(Section("INPUTS")),
            Outputs = ReadTypes(Section("OUTPUTS")),
            Notes = Paragraphs(Section("NOTES")),
            Links = ReadLinks(Section("RELATED LINKS"), frontMatter.GetValueOrDefault("online version")),
        };
    }

    /// <summary>True for the module page New-MarkdownHelp -WithModulePage writes (its front matter has a Module Guid).</summary>
    public static bool IsModulePage(string markdown)
    {
        try
        {
            ReadFrontMatter(markdown.ReplaceLineEndings("\n").Split('\n'), out var frontMatter);
            return frontMatter.ContainsKey("Module Guid");
        }
        catch (HelpFormatException)
        {
            return false;
        }
    }

    /// <summary>Skips the optional <c>---</c> front matter and returns the index of the first line after it.</summary>
    private static int ReadFrontMatter(string[] lines, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lines[0].Trim() != "---") return 0;
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "---") return i + 1;
            int colon = lines[i].IndexOf(':');
            if (colon > 0) values[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
        }
        throw new HelpFormatException(1, "the front matter is not closed by '---'");
    }

    /// <summary>The blocks under each <c>## HEADING</c>, keyed by the upper-cased heading.</summary>
    private static Dictionary<string, List<Block>> ReadSections(List<Block> blocks)
    {
        var sections = new Dictionary<string, List<Block>>();
        List<Block>? current = null;
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Heading && block.Level <= 2)
            {
                if (block.Level == 1) current = null;
                else if (!sections.TryGetValue(block.Text.ToUpperInvariant(), out current))
                    current = sections[block.Text.ToUpperInvariant()] = [];
                continue;
            }
            current?.Add(block);
        }
        return sections;
    }

    /// <summary>Groups a section's blocks by <c>### heading</c>; blocks before the first one get a null heading.</summary>
    private static List<(Block? Heading, List<Block> Body)> SubSections(List<Block> blocks)
    {
        var result = new List<(Block? Heading, List<Block> Body)>();
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Heading && block.Level == 3) result.Add((block, []));
            else
            {
                if (result.Count == 0) result.Add((null, []));
                result[^1].Body.Add(block);
            }
        }
        return result;
    }

    private static List<string> Paragraphs(IEnumerable<Block> blocks) => blocks.Select(b => b.Text).Where(t => t.Length > 0).ToList();

    private static List<SyntaxItem> ReadSyntax(string commandName, List<Block> blocks)
    {
        var items = new List<SyntaxItem>();
        foreach (var (heading, body) in SubSections(blocks))
        {
            var set = heading is null ? null : SetHeadingRegex().Match(heading.Text);
            foreach (var code in body.Where(b => b.Kind == BlockKind.Code))
            {
                foreach (string line in SyntaxParser.SplitItems(commandName, code.Text))
                    items.Add(new SyntaxItem(set?.Groups[1].Value, set?.Groups[2].Success == true, SyntaxParser.Parse(line, code.Line + 1)));
            }
        }
        return items;
    }

    private static List<ParameterHelp> ReadParameters(List<Block> blocks)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var (heading, body) in SubSections(blocks))
        {
            if (heading is null || heading.Text is "CommonParameters" or "WorkflowCommonParameters") continue;
            string name = heading.Text.TrimStart('-').Trim();
            var yaml = body.Where(b => b.Kind == BlockKind.Code && b.Info.Equals("yaml", StringComparison.OrdinalIgnoreCase)).ToList();
            if (yaml.Count == 0) throw new HelpFormatException(heading.Line, $"parameter -{name} has no yaml block");
            var description = Paragraphs(body.Except(yaml));
            parameters.AddRange(yaml.Select(y => ParameterYaml.Parse(name, description, y.Text, y.Line)));
        }
        return parameters;
    }

    /// <summary>
    /// The first code block is the example's code; an <c>output</c> block, a second plain block or any
    /// other language is its output; further PowerShell blocks extend the code; text is the remarks.
    /// </summary>
    private static List<ExampleHelp> ReadExamples(List<Block> blocks)
    {
        var examples = new List<ExampleHelp>();
        foreach (var (heading, body) in SubSections(blocks))
        {
            string? code = null, output = null;
            var remarks = new List<string>();
            foreach (var block in body)
            {
                if (block.Kind != BlockKind.Code) remarks.Add(block.Text);
                else if (code is null) code = block.Text;
                else if (PowerShellInfos.Contains(block.Info, StringComparer.OrdinalIgnoreCase)) code += "\n\n" + block.Text;
                else output = output is null ? block.Text : output + "\n\n" + block.Text;
            }
            examples.Add(new ExampleHelp(heading?.Text ?? $"Example {examples.Count + 1}", code ?? "", output, remarks));
        }
        return examples;
    }

    private static List<TypeHelp> ReadTypes(List<Block> blocks) =>
        SubSections(blocks).Select(s => new TypeHelp(s.Heading?.Text ?? "", Paragraphs(s.Body))).ToList();

    /// <summary>Markdown links; only absolute URIs are kept, a page link such as <c>Set-CimaaFault.md</c> keeps its text only.</summary>
    private static List<LinkHelp> ReadLinks(List<Block> blocks, string? onlineVersion)
    {
        var links = new List<LinkHelp>();
        if (AbsoluteUri(onlineVersion) is { } online) links.Add(new LinkHelp("Online Version:", online));
        foreach (var block in blocks.Where(b => b.Kind == BlockKind.Paragraph))
        {
            foreach (Match m in LinkRegex().Matches(block.Text))
                links.Add(new LinkHelp(m.Groups[1].Value.Trim(), AbsoluteUri(m.Groups[2].Value)));
        }
        return links;
    }

    private static string? AbsoluteUri(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? text : null;
}
