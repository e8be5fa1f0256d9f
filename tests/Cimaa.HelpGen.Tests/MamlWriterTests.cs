using System.Xml;
using System.Xml.Linq;
using System.Xml.XPath;

namespace Cimaa.HelpGen.Tests;

public class MamlWriterTests
{
    private static readonly XmlNamespaceManager Ns = Namespaces();

    /// <summary>Serialized and parsed again, so escaping is part of what the tests see.</summary>
    private static readonly XDocument Doc = XDocument.Parse(MamlWriter.Write(
        [HelpReader.Read(SamplePages.ConnectCimaa), HelpReader.Read(SamplePages.GetCimaaFault)]).ToString());

    private static XmlNamespaceManager Namespaces()
    {
        var ns = new XmlNamespaceManager(new NameTable());
        ns.AddNamespace("msh", "http://msh");
        ns.AddNamespace("maml", "http://schemas.microsoft.com/maml/2004/10");
        ns.AddNamespace("command", "http://schemas.microsoft.com/maml/dev/command/2004/10");
        ns.AddNamespace("dev", "http://schemas.microsoft.com/maml/dev/2004/10");
        return ns;
    }

    private static XElement Command(string name) =>
        Doc.XPathSelectElement($"/msh:helpItems/command:command[command:details/command:name='{name}']", Ns)
        ?? throw new Xunit.Sdk.XunitException($"no command {name}");

    private static XElement One(XNode node, string xpath) =>
        node.XPathSelectElement(xpath, Ns) ?? throw new Xunit.Sdk.XunitException($"no match for {xpath}");

    private static string Text(XNode node, string xpath) => One(node, xpath).Value;

    [Fact]
    public void RootIsMamlHelpItems()
    {
        var root = Doc.Root!;
        Assert.Equal(XName.Get("helpItems", "http://msh"), root.Name);
        Assert.Equal("maml", (string?)root.Attribute("schema"));
        var commands = root.Elements().ToList();
        Assert.Equal(2, commands.Count);
        Assert.All(commands, c => Assert.Equal(XName.Get("command", "http://schemas.microsoft.com/maml/dev/command/2004/10"), c.Name));
        Assert.Equal("command", root.GetPrefixOfNamespace("http://schemas.microsoft.com/maml/dev/command/2004/10"));
        Assert.Equal("maml", root.GetPrefixOfNamespace("http://schemas.microsoft.com/maml/2004/10"));
        Assert.Equal("dev", root.GetPrefixOfNamespace("http://schemas.microsoft.com/maml/dev/2004/10"));
    }

    [Fact]
    public void WritesDetailsAndDescription()
    {
        var get = Command("Get-CimaaFault");
        Assert.Equal("Get", Text(get, "command:details/command:verb"));
        Assert.Equal("CimaaFault", Text(get, "command:details/command:noun"));
        Assert.Equal("Gets the current faults of agents.", Text(get, "command:details/maml:description/maml:para"));
        Assert.Equal(2, get.XPathSelectElements("maml:description/maml:para", Ns).Count());

        // & and < survive as text.
        Assert.Equal(
            "A local connection is an SQLite file & the file is created on first use: <path> must be writable.",
            Command("Connect-Cimaa").XPathSelectElements("maml:description/maml:para", Ns).Last().Value);
    }

    [Fact]
    public void WritesParameterAttributes()
    {
        var agent = One(Command("Get-CimaaFault"), "command:parameters/command:parameter[maml:name='Agent']");
        Assert.Equal("false", (string?)agent.Attribute("required"));
        Assert.Equal("true", (string?)agent.Attribute("variableLength"));
        Assert.Equal("true", (string?)agent.Attribute("globbing"));
        Assert.Equal("True (ByPropertyName)", (string?)agent.Attribute("pipelineInput"));
        Assert.Equal("0", (string?)agent.Attribute("position"));
        Assert.Equal("Host", (string?)agent.Attribute("aliases"));
        Assert.Equal("The agent names. Wildcards are allowed.", Text(agent, "maml:description/maml:para"));
        Assert.Equal("String[]", Text(agent, "command:parameterValue"));
        Assert.Equal("true", (string?)One(agent, "command:parameterValue").Attribute("required"));
        Assert.Equal("String[]", Text(agent, "dev:type/maml:name"));
        Assert.Equal("None", Text(agent, "dev:defaultValue"));

        var name = One(Command("Get-CimaaFault"), "command:parameters/command:parameter[maml:name='Name']");
        Assert.Equal("named", (string?)name.Attribute("position"));
        Assert.Equal("FaultName, N", (string?)name.Attribute("aliases"));
        Assert.Equal("True (ByPropertyName, ByValue)", (string?)name.Attribute("pipelineInput"));

        var level = One(Command("Get-CimaaFault"), "command:parameters/command:parameter[maml:name='Level']");
        Assert.Equal("none", (string?)level.Attribute("aliases"));
        Assert.Equal("false", (string?)level.Attribute("variableLength"));
        Assert.Equal(["Warning", "Error"], level.XPathSelectElements("command:parameterValueGroup/command:parameterValue", Ns).Select(e => e.Value));

        var region = One(Command("Connect-Cimaa"), "command:parameters/command:parameter[maml:name='Region']");
        Assert.Equal("true", (string?)region.Attribute("required"));

        var passThru = One(Command("Connect-Cimaa"), "command:parameters/command:parameter[maml:name='PassThru']");
        Assert.Equal("false", (string?)One(passThru, "command:parameterValue").Attribute("required"));
        Assert.Equal("False", Text(passThru, "dev:defaultValue"));
        Assert.Equal(6, Command("Connect-Cimaa").XPathSelectElements("command:parameters/command:parameter", Ns).Count());
    }

    [Fact]
    public void WritesOneSyntaxItemPerParameterSet()
    {
        var connect = Command("Connect-Cimaa");
        var items = connect.XPathSelectElements("command:syntax/command:syntaxItem", Ns).ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.Equal("Connect-Cimaa", Text(i, "maml:name")));

        string[] Names(XElement item) => item.XPathSelectElements("command:parameter/maml:name", Ns).Select(e => e.Value).ToArray();
        Assert.Equal(["Path", "MetricRetention", "PassThru"], Names(items[0]));
        Assert.Equal(["Region", "TablePrefix", "MetricRetention", "PassThru"], Names(items[1]));
        Assert.Equal(["ConfigFile", "MetricRetention", "PassThru"], Names(items[2]));

        var path = One(items[0], "command:parameter[maml:name='Path']");
        Assert.Equal("false", (string?)path.Attribute("required"));
        Assert.Equal("0", (string?)path.Attribute("position"));
        Assert.Equal("String", Text(path, "command:parameterValue"));
        Assert.Equal("true", (string?)One(items[1], "command:parameter[maml:name='Region']").Attribute("required"));
        Assert.Equal("named", (string?)One(items[1], "command:parameter[maml:name='Region']").Attribute("position"));

        // A switch has no value in the syntax.
        Assert.Null(One(items[0], "command:parameter[maml:name='PassThru']").XPathSelectElement("command:parameterValue", Ns));
    }

    [Fact]
    public void WritesSyntaxFromParametersWhenThePageHasNone()
    {
        var help = HelpReader.Read(SamplePages.GetCimaaFault.Replace("## SYNTAX", "## IGNORED"));
        var item = One(MamlWriter.WriteCommand(help), "command:syntax/command:syntaxItem");
        Assert.Equal(["Agent", "Name", "Level", "Connection"], item.XPathSelectElements("command:parameter/maml:name", Ns).Select(e => e.Value));
    }

    [Fact]
    public void WritesExamples()
    {
        var examples = Command("Connect-Cimaa").XPathSelectElements("command:examples/command:example", Ns).ToList();
        Assert.Equal(2, examples.Count);
        Assert.Equal("-------------------------- Example 1: Connect to a local file --------------------------", Text(examples[0], "maml:title"));
        Assert.Equal("PS> Connect-Cimaa -Path ./cimaa.db -PassThru", Text(examples[0], "dev:code"));
        Assert.Equal(
            ["Kind  Target\n----  ------\nLocal ./cimaa.db", "The file is created if it does not exist."],
            examples[0].XPathSelectElements("dev:remarks/maml:para", Ns).Select(e => e.Value));
        Assert.Equal(
            "PS> Connect-Cimaa -Region eu-west-1 -TablePrefix \"test\" # a <prefix> & more\n## this comment line is not a heading",
            Text(examples[1], "dev:code"));
    }

    [Fact]
    public void WritesTypesNotesAndLinks()
    {
        var get = Command("Get-CimaaFault");
        Assert.Equal("System.String", Text(get, "command:inputTypes/command:inputType/dev:type/maml:name"));
        Assert.Equal("Agent names, by property name.", Text(get, "command:inputTypes/command:inputType/maml:description/maml:para"));
        Assert.Equal("Cimaa.Fault", Text(get, "command:returnValues/command:returnValue/dev:type/maml:name"));
        Assert.Equal("Cleared faults are kept for a day and are not listed.", Text(get, "maml:alertSet/maml:alert/maml:para"));
        Assert.Null(Command("Connect-Cimaa").XPathSelectElement("maml:alertSet", Ns));

        var links = get.XPathSelectElements("command:relatedLinks/maml:navigationLink", Ns).ToList();
        Assert.Equal(["Set-CimaaFault", "Cimaa faults"], links.Select(l => Text(l, "maml:linkText")));
        Assert.Equal(["", "https://example.org/cimaa/faults"], links.Select(l => Text(l, "maml:uri")));
        Assert.Equal("https://example.org/cimaa/Connect-Cimaa", Text(Command("Connect-Cimaa"), "command:relatedLinks/maml:navigationLink/maml:uri"));
    }
}
