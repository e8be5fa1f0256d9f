namespace Cimaa.HelpGen.Tests;

public class HelpReaderTests
{
    private static readonly CommandHelp Get = HelpReader.Read(SamplePages.GetCimaaFault);
    private static readonly CommandHelp Connect = HelpReader.Read(SamplePages.ConnectCimaa);

    [Fact]
    public void ReadsNameAndSynopsis()
    {
        Assert.Equal("Get-CimaaFault", Get.Name);
        Assert.Equal("Get", Get.Verb);
        Assert.Equal("CimaaFault", Get.Noun);
        Assert.Equal("Gets the current faults of agents.", Get.Synopsis);
    }

    [Fact]
    public void JoinsWrappedLinesAndSplitsParagraphs()
    {
        Assert.Equal(
            [
                "Reads the faults that agents reported and that are not cleared yet. Faults are sorted by agent, then by name.",
                "Use Set-CimaaFault to raise or clear a fault by hand.",
            ],
            Get.Description);
        Assert.Equal(["Cleared faults are kept for a day and are not listed."], Get.Notes);
    }

    [Fact]
    public void ReadsParameters()
    {
        Assert.Equal(["Agent", "Name", "Level", "Connection"], Get.Parameters.Select(p => p.Name));

        var agent = Get.Parameters[0];
        Assert.Equal("String[]", agent.Type);
        Assert.Equal(0, agent.Position);
        Assert.False(agent.Required);
        Assert.Equal("True (ByPropertyName)", agent.PipelineInput);
        Assert.True(agent.Globbing);
        Assert.Equal(["Host"], agent.Aliases);
        Assert.Equal("None", agent.DefaultValue);
        Assert.Empty(agent.ParameterSets);
        Assert.Equal(["The agent names. Wildcards are allowed."], agent.Description);

        var name = Get.Parameters[1];
        Assert.Null(name.Position);
        Assert.Equal("True (ByPropertyName, ByValue)", name.PipelineInput);
        Assert.Equal(["FaultName", "N"], name.Aliases);
        Assert.False(name.Globbing);

        Assert.Equal(["Warning", "Error"], Get.Parameters[2].AcceptedValues);
        Assert.Empty(Get.Parameters[2].Aliases);
        Assert.Equal("The session's connection", Get.Parameters[3].DefaultValue);
    }

    [Fact]
    public void ReadsParameterSetsAndSwitches()
    {
        var region = Connect.Parameters.Single(p => p.Name == "Region");
        Assert.True(region.Required);
        Assert.Equal(["DynamoDB"], region.ParameterSets);
        Assert.Equal("cimaa", Connect.Parameters.Single(p => p.Name == "TablePrefix").DefaultValue);

        var passThru = Connect.Parameters.Single(p => p.Name == "PassThru");
        Assert.True(passThru.IsSwitch);
        Assert.Equal("False", passThru.DefaultValue);
        Assert.DoesNotContain(Connect.Parameters, p => p.Name == "CommonParameters");
    }

    [Fact]
    public void ReadsSyntaxItems()
    {
        var item = Assert.Single(Get.Syntax);
        Assert.Equal("Default", item.SetName);
        Assert.True(item.IsDefault);
        Assert.Equal(
            [
                new SyntaxParameter("Agent", false, true, "String[]"),
                new SyntaxParameter("Name", false, false, "String[]"),
                new SyntaxParameter("Level", false, false, "String"),
                new SyntaxParameter("Connection", false, false, "CimaaConnection"),
            ],
            item.Parameters);

        Assert.Equal(["Local", "DynamoDB", "ConfigFile"], Connect.Syntax.Select(s => s.SetName));
        Assert.Equal([true, false, false], Connect.Syntax.Select(s => s.IsDefault));
        // The DynamoDB line is wrapped before [<CommonParameters>].
        Assert.Equal(
            [
                new SyntaxParameter("Region", true, false, "String"),
                new SyntaxParameter("TablePrefix", false, false, "String"),
                new SyntaxParameter("MetricRetention", false, false, "TimeSpan"),
                new SyntaxParameter("PassThru", false, false, null),
            ],
            Connect.Syntax[1].Parameters);
    }

    [Theory]
    [InlineData("X-Y -Name <String>", "Name", true, false, "String")]
    [InlineData("X-Y [-Name <String>]", "Name", false, false, "String")]
    [InlineData("X-Y [-Name] <String>", "Name", true, true, "String")]
    [InlineData("X-Y [[-Name] <String>]", "Name", false, true, "String")]
    [InlineData("X-Y [-Force]", "Force", false, false, null)]
    [InlineData("X-Y -Force", "Force", true, false, null)]
    [InlineData("X-Y [-Scope {Process | User}]", "Scope", false, false, "Process | User")]
    public void ReadsOneSyntaxParameter(string line, string name, bool required, bool positional, string? type)
    {
        Assert.Equal(new SyntaxParameter(name, required, positional, type), Assert.Single(SyntaxParser.Parse(line, 1)));
    }

    [Fact]
    public void UnbalancedSyntaxIsAnError()
    {
        var e = Assert.Throws<HelpFormatException>(() => SyntaxParser.Parse("X-Y [[-Name] <String>", 7));
        Assert.Equal(7, e.Line);
    }

    [Fact]
    public void ReadsExamples()
    {
        Assert.Equal(2, Get.Examples.Count);
        var first = Get.Examples[0];
        Assert.Equal("Example 1: List all faults", first.Title);
        Assert.Equal("PS> Get-CimaaFault", first.Code);
        Assert.Equal("Agent Name  Level Since\n----- ----  ----- -----\nweb1  disk  Error 2026-11-23 10:00:00", first.Output);
        Assert.Equal(["Lists every fault of every agent."], first.Remarks);

        var second = Get.Examples[1];
        Assert.Null(second.Output);
        Assert.Equal(["Wildcards select agents by name. Only errors are listed."], second.Remarks);
    }

    [Fact]
    public void SecondPlainBlockIsOutputAndCodeKeepsHashLines()
    {
        Assert.Equal("Kind  Target\n----  ------\nLocal ./cimaa.db", Connect.Examples[0].Output);
        Assert.Equal(
            "PS> Connect-Cimaa -Region eu-west-1 -TablePrefix \"test\" # a <prefix> & more\n## this comment line is not a heading",
            Connect.Examples[1].Code);
        // The "## ..." line inside the code block did not end the EXAMPLES section.
        Assert.Equal(6, Connect.Parameters.Count);
    }

    [Fact]
    public void ReadsInputsOutputsAndLinks()
    {
        var input = Assert.Single(Get.Inputs);
        Assert.Equal("System.String", input.Name);
        Assert.Equal(["Agent names, by property name."], input.Description);
        Assert.Equal("Cimaa.Fault", Assert.Single(Get.Outputs).Name);
        Assert.Equal("None", Assert.Single(Connect.Inputs).Name);
        Assert.Empty(Connect.Notes);

        Assert.Equal([new LinkHelp("Set-CimaaFault", null), new LinkHelp("Cimaa faults", "https://example.org/cimaa/faults")], Get.Links);
        Assert.Equal(
            [new LinkHelp("Online Version:", "https://example.org/cimaa/Connect-Cimaa"), new LinkHelp("Get-CimaaConnection", null)],
            Connect.Links);
    }

    [Fact]
    public void FrontMatterIsOptionalAndCrLfIsAccepted()
    {
        string page = "# Get-Thing\r\n\r\n## SYNOPSIS\r\nGets a thing.\r\n";
        var help = HelpReader.Read(page);
        Assert.Equal("Get-Thing", help.Name);
        Assert.Equal("Gets a thing.", help.Synopsis);
        Assert.Empty(help.Parameters);
    }

    [Fact]
    public void ParameterWithOneYamlBlockPerSet()
    {
        string page = """
            # Set-Thing

            ## SYNOPSIS
            Sets a thing.

            ## PARAMETERS

            ### -Name
            The name.

            ```yaml
            Type: String
            Parameter Sets: ByName
            Aliases:

            Required: True
            Position: 0
            Default value: None
            Accept pipeline input: True (ByValue)
            Accept wildcard characters: False
            ```

            ```yaml
            Type: String
            Parameter Sets: ByObject, Other
            Aliases:

            Required: False
            Position: Named
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: False
            ```
            """;
        var help = HelpReader.Read(page);
        Assert.Equal(2, help.Parameters.Count);
        Assert.All(help.Parameters, p => Assert.Equal(["The name."], p.Description));
        Assert.Equal(0, help.FindParameter("Name", "ByName")!.Position);
        Assert.Null(help.FindParameter("name", "Other")!.Position);
        Assert.Equal(["ByObject", "Other"], help.FindParameter("Name", "ByObject")!.ParameterSets);
    }

    [Fact]
    public void ModulePageIsRecognised()
    {
        Assert.True(HelpReader.IsModulePage("---\nModule Name: Cimaa\nModule Guid: 00000000-0000-0000-0000-000000000000\n---\n\n# Cimaa Module\n"));
        Assert.False(HelpReader.IsModulePage(SamplePages.GetCimaaFault));
    }
}
