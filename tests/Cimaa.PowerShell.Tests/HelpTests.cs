using System.Text.RegularExpressions;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// Every exported cmdlet has a docs page that documents exactly its parameters, and Get-Help shows real help for it.
/// The tests enumerate the module's exported cmdlets, so cmdlets added on other branches are covered without edits here.
/// </summary>
public class HelpTests
{
    private static readonly string DocsDir = Path.Combine(RepoPaths.Root, "docs", "cmdlets");

    /// <summary>Exported cmdlet name to its parameters, minus the common parameters (-WhatIf and -Confirm stay: pages document them).</summary>
    private static Dictionary<string, string[]> ExportedParameters()
    {
        var r = Ps.Run("""
            $common = [System.Management.Automation.Cmdlet]::CommonParameters
            foreach ($name in (Get-Module Cimaa).ExportedCmdlets.Keys) {
                [pscustomobject]@{
                    Name = $name
                    Parameters = [string[]]@((Get-Command $name).Parameters.Keys.Where({ $common -notcontains $_ }))
                }
            }
            """).ThrowIfFailed();
        return r.Output.ToDictionary(o => (string)o.Properties["Name"].Value, o => (string[])o.Properties["Parameters"].Value);
    }

    /// <summary>The names under <c>### -Name</c> headings of the page's PARAMETERS section.</summary>
    internal static List<string> PageParameters(string markdown)
    {
        var section = Regex.Match(markdown, @"^## PARAMETERS\s*$(.*?)(?=^## )", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(section.Success, "the page has no PARAMETERS section");
        return Regex.Matches(section.Groups[1].Value, @"^### -(\S+)\s*$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void Every_exported_cmdlet_has_a_page()
    {
        var exported = ExportedParameters().Keys.ToList();
        Assert.NotEmpty(exported);
        var missing = exported.Where(c => !File.Exists(Path.Combine(DocsDir, c + ".md"))).ToList();
        Assert.True(missing.Count == 0, "cmdlets without a page in docs/cmdlets: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_page_documents_exactly_the_parameters_of_its_cmdlet()
    {
        var problems = new List<string>();
        foreach (var (cmdlet, parameters) in ExportedParameters())
        {
            var page = Path.Combine(DocsDir, cmdlet + ".md");
            if (!File.Exists(page)) continue; // reported by Every_exported_cmdlet_has_a_page
            var documented = PageParameters(File.ReadAllText(page));
            foreach (var p in parameters.Except(documented, StringComparer.OrdinalIgnoreCase)) problems.Add($"{cmdlet}: -{p} is not documented");
            foreach (var p in documented.Except(parameters, StringComparer.OrdinalIgnoreCase)) problems.Add($"{cmdlet}: the page names -{p}, which the cmdlet lacks");
            foreach (var p in documented.GroupBy(p => p, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)) problems.Add($"{cmdlet}: -{p.Key} is documented twice");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Pages_are_named_after_exported_cmdlets()
    {
        var exported = ExportedParameters().Keys.ToHashSet(StringComparer.Ordinal);
        var strays = Directory.GetFiles(DocsDir, "*.md").Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Where(n => !exported.Contains(n)).ToList();
        Assert.True(strays.Count == 0, "pages for cmdlets the module does not export: " + string.Join(", ", strays));
    }

    [Fact]
    public void Get_Help_Full_shows_a_synopsis_a_description_parameter_text_and_examples_for_every_cmdlet()
    {
        var r = Ps.Run("""
            $common = [System.Management.Automation.Cmdlet]::CommonParameters
            foreach ($name in (Get-Module Cimaa).ExportedCmdlets.Keys) {
                $h = Get-Help $name -Full
                $params = @($h.parameters.parameter)
                [pscustomobject]@{
                    Name = $name
                    Synopsis = [string]$h.Synopsis
                    Description = [string](@($h.description).ForEach({ $_.Text }) -join "`n")
                    Examples = @($h.examples.example).Where({ $_.code }).Count
                    Undescribed = [string[]]@($params.Where({ -not (@($_.description).ForEach({ $_.Text }) -join '').Trim() }).ForEach({ $_.name }))
                    Documented = [string[]]@($params.ForEach({ $_.name }))
                    Expected = [string[]]@((Get-Command $name).Parameters.Keys.Where({ $common -notcontains $_ }))
                }
            }
            """).ThrowIfFailed();
        Assert.NotEmpty(r.Output);
        var problems = new List<string>();
        foreach (var o in r.Output)
        {
            string name = (string)o.Properties["Name"].Value, synopsis = (string)o.Properties["Synopsis"].Value;
            // Without MAML, Get-Help falls back to the generated syntax as the synopsis.
            if (string.IsNullOrWhiteSpace(synopsis) || synopsis.TrimStart().StartsWith(name, StringComparison.OrdinalIgnoreCase))
                problems.Add($"{name}: no synopsis");
            if (string.IsNullOrWhiteSpace((string)o.Properties["Description"].Value)) problems.Add($"{name}: no description");
            if ((int)o.Properties["Examples"].Value < 2) problems.Add($"{name}: fewer than two examples");
            foreach (var p in (string[])o.Properties["Undescribed"].Value) problems.Add($"{name}: -{p} has no text");
            var missing = ((string[])o.Properties["Expected"].Value).Except((string[])o.Properties["Documented"].Value, StringComparer.OrdinalIgnoreCase);
            foreach (var p in missing) problems.Add($"{name}: Get-Help lacks -{p}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Get_Help_Set_CimaaFault_Examples_shows_the_examples()
    {
        var writer = new StringWriter();
        Ps.RunWithHost("Get-Help Set-CimaaFault -Examples | Out-Default", writer).ThrowIfFailed();
        var text = writer.ToString();
        Assert.Contains("Set-CimaaFault", text);
        Assert.Matches(@"-+ Example 1: .+ -+", text);
        Assert.Matches(@"-+ Example 2: .+ -+", text);
        Assert.Contains("PS> Set-CimaaFault -Agent web1 -Name disk -Severity Error", text);
        Assert.Contains("Agent Name", text); // the example's output is part of the help
    }

    [Fact]
    public void Page_parameter_reader_finds_the_headings()
    {
        var page = "## SYNTAX\n### -NotAParameter\n## PARAMETERS\n\n### -Agent\ntext\n\n### -Name\n\n### CommonParameters\n## INPUTS\n### -Nope\n";
        Assert.Equal(["Agent", "Name"], PageParameters(page));
    }
}
