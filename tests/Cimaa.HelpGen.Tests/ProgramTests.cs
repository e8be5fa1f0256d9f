using System.Xml.Linq;

namespace Cimaa.HelpGen.Tests;

public sealed class ProgramTests : IDisposable
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Cmd = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private readonly string _dir = Directory.CreateTempSubdirectory("cimaa-helpgen-").FullName;
    private string Pages => Path.Combine(_dir, "cmdlets");
    private string Output => Path.Combine(_dir, "out", "en-US", "Cimaa.PowerShell.dll-Help.xml");

    public ProgramTests() => Directory.CreateDirectory(Pages);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stderr.ToString());
    }

    private void AddPage(string fileName, string markdown) => File.WriteAllText(Path.Combine(Pages, fileName), markdown);

    [Fact]
    public void ConvertsEveryPageInFileNameOrder()
    {
        AddPage("Get-CimaaFault.md", SamplePages.GetCimaaFault);
        AddPage("Connect-Cimaa.md", SamplePages.ConnectCimaa);
        AddPage("notes.txt", "not a page");

        var (code, stderr) = Run(Pages, Output);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var doc = XDocument.Load(Output);
        Assert.Equal(["Connect-Cimaa", "Get-CimaaFault"], doc.Root!.Elements(Cmd + "command").Select(c => c.Element(Cmd + "details")!.Element(Cmd + "name")!.Value));
    }

    /// <summary>What the MAML holds matches what was read from each page.</summary>
    [Fact]
    public void RoundTripKeepsThePageContent()
    {
        AddPage("Connect-Cimaa.md", SamplePages.ConnectCimaa);
        AddPage("Get-CimaaFault.md", SamplePages.GetCimaaFault);
        Assert.Equal(0, Run(Pages, Output).Code);

        var commands = XDocument.Load(Output).Root!.Elements(Cmd + "command").ToList();
        var pages = new[] { SamplePages.ConnectCimaa, SamplePages.GetCimaaFault }.Select(HelpReader.Read).ToList();
        Assert.Equal(pages.Count, commands.Count);
        foreach (var (page, command) in pages.Zip(commands))
        {
            var details = command.Element(Cmd + "details")!;
            Assert.Equal(page.Name, details.Element(Cmd + "name")!.Value);
            Assert.Equal(page.Synopsis, details.Element(Maml + "description")!.Element(Maml + "para")!.Value);
            Assert.Equal(page.Description, command.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value));
            Assert.Equal(page.Syntax.Count, command.Element(Cmd + "syntax")!.Elements(Cmd + "syntaxItem").Count());

            var parameters = command.Element(Cmd + "parameters")!.Elements(Cmd + "parameter").ToList();
            Assert.Equal(page.Parameters.Select(p => p.Name), parameters.Select(p => p.Element(Maml + "name")!.Value));
            Assert.Equal(page.Parameters.Select(p => p.Type), parameters.Select(p => p.Element(Dev + "type")!.Element(Maml + "name")!.Value));
            Assert.Equal(page.Parameters.Select(p => p.DefaultValue), parameters.Select(p => p.Element(Dev + "defaultValue")!.Value));

            var examples = command.Element(Cmd + "examples")!.Elements(Cmd + "example").ToList();
            Assert.Equal(page.Examples.Select(e => e.Code), examples.Select(e => e.Element(Dev + "code")!.Value.ReplaceLineEndings("\n")));
        }
    }

    /// <summary>What Get-Help needs from every command: a name, a description and an example.</summary>
    [Fact]
    public void EveryCommandHasNameDescriptionAndExample()
    {
        AddPage("Connect-Cimaa.md", SamplePages.ConnectCimaa);
        AddPage("Get-CimaaFault.md", SamplePages.GetCimaaFault);
        Assert.Equal(0, Run(Pages, Output).Code);

        var commands = XDocument.Load(Output).Root!.Elements(Cmd + "command").ToList();
        Assert.NotEmpty(commands);
        Assert.All(commands, command =>
        {
            Assert.False(string.IsNullOrWhiteSpace(command.Element(Cmd + "details")?.Element(Cmd + "name")?.Value));
            Assert.False(string.IsNullOrWhiteSpace(command.Element(Cmd + "details")?.Element(Maml + "description")?.Value));
            Assert.False(string.IsNullOrWhiteSpace(command.Element(Maml + "description")?.Value));
            var example = command.Element(Cmd + "examples")?.Element(Cmd + "example");
            Assert.NotNull(example);
            Assert.False(string.IsNullOrWhiteSpace(example.Element(Dev + "code")?.Value));
        });
    }

    [Fact]
    public void EmptyFolderGivesEmptyHelpItems()
    {
        Assert.Equal(0, Run(Pages, Output).Code);
        var root = XDocument.Load(Output).Root!;
        Assert.Equal(Msh + "helpItems", root.Name);
        Assert.Empty(root.Elements());
    }

    [Fact]
    public void ModulePageIsSkipped()
    {
        AddPage("Cimaa.md", "---\nModule Name: Cimaa\nModule Guid: 5a0c4a37-0000-0000-0000-000000000000\n---\n\n# Cimaa Module\n\n## Description\nThe module.\n");
        AddPage("Get-CimaaFault.md", SamplePages.GetCimaaFault);
        Assert.Equal(0, Run(Pages, Output).Code);
        Assert.Single(XDocument.Load(Output).Root!.Elements());
    }

    public static TheoryData<string, int, string> MalformedPages => new()
    {
        { "Just text.\n\n## SYNOPSIS\nGets.\n", 3, "no '# <command name>' title" },
        { "---\nschema: 2.0.0\n---\n\n# Get-Thing\n\n## DESCRIPTION\nText.\n", 5, "no '## SYNOPSIS' section" },
        { Yaml("Type: String\nthis is not yaml\nRequired: False"), 13, "parameter -Name: cannot parse yaml line 'this is not yaml'" },
        { Yaml("Type: String\nRequired: Maybe"), 13, "'Required' must be True or False" },
        { Yaml("Type: String\nPosition: First"), 13, "Position must be a number or Named" },
        { Yaml("Aliases: N"), 11, "the yaml block has no Type" },
        { "# Get-Thing\n\n## SYNOPSIS\nGets.\n\n## PARAMETERS\n\n### -Name\nThe name.\n", 8, "parameter -Name has no yaml block" },
        { "# Get-Thing\n\n## SYNOPSIS\nGets.\n\n## EXAMPLES\n\n### Example 1\n```powershell\nGet-Thing\n", 9, "code block is not closed" },
        { "# Get-Thing\n\n## SYNOPSIS\nGets.\n\n## SYNTAX\n\n```\nGet-Thing [[-Name] <String>\n```\n", 9, "unbalanced brackets" },
    };

    /// <summary>A page whose only parameter has this yaml: the fence is line 11, the yaml starts on line 12.</summary>
    private static string Yaml(string yaml) =>
        $"# Get-Thing\n\n## SYNOPSIS\nGets.\n\n## PARAMETERS\n\n### -Name\nThe name.\n\n```yaml\n{yaml}\n```\n";

    [Theory]
    [MemberData(nameof(MalformedPages))]
    public void MalformedPageFailsWithFileAndLine(string markdown, int line, string message)
    {
        AddPage("Connect-Cimaa.md", SamplePages.ConnectCimaa);
        AddPage("Get-Thing.md", markdown);

        var (code, stderr) = Run(Pages, Output);

        Assert.Equal(1, code);
        string expected = $"{Path.Combine(Pages, "Get-Thing.md")}:{line}: ";
        Assert.StartsWith(expected, stderr);
        Assert.Contains(message, stderr);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void BadArgumentsFail()
    {
        Assert.Equal(2, Run(Pages).Code);
        var (code, stderr) = Run(Path.Combine(_dir, "missing"), Output);
        Assert.Equal(1, code);
        Assert.Contains("folder not found", stderr);
        Assert.False(File.Exists(Output));
    }
}
