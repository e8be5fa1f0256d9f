using System.Management.Automation;
using System.Management.Automation.Language;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// Static checks of tests/Pester, which fail fast without running pwsh: every file parses, every use of a Cimaa cmdlet
/// is checked against the module (the cmdlet must be exported and each parameter must resolve as PowerShell resolves it:
/// exact name or alias, else a unique prefix of the names and aliases), every exported cmdlet is used, and every file
/// that starts dynalite stops it in AfterAll.
/// </summary>
public class PesterSuiteTests
{
    private static readonly string PesterDir = Path.Combine(RepoPaths.Root, "tests", "Pester");

    /// <summary>Exported cmdlet to (parameter name or alias, parameter name), common parameters included.</summary>
    private static Dictionary<string, Dictionary<string, string>> ExportedCmdlets()
    {
        var r = Ps.Run("""
            foreach ($name in (Get-Module Cimaa).ExportedCmdlets.Keys) {
                foreach ($p in (Get-Command $name).Parameters.Values) {
                    foreach ($n in @($p.Name) + @($p.Aliases)) { [pscustomobject]@{ Cmdlet = $name; Key = $n; Parameter = $p.Name } }
                }
            }
            """).ThrowIfFailed();
        return r.Output.GroupBy(o => (string)o.Properties["Cmdlet"].Value, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToDictionary(o => (string)o.Properties["Key"].Value, o => (string)o.Properties["Parameter"].Value,
                StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Problems with the Cimaa commands used in a parsed script.</summary>
    internal static List<string> Check(Ast ast, string file, Dictionary<string, Dictionary<string, string>> exported)
    {
        var problems = new List<string>();
        var cimaa = new WildcardPattern("*-Cimaa*", WildcardOptions.IgnoreCase);
        foreach (var command in ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
        {
            var name = command.GetCommandName();
            if (name is null || !cimaa.IsMatch(name)) continue;
            var where = $"{file}:{command.Extent.StartLineNumber}";
            if (!exported.TryGetValue(name, out var parameters))
            {
                problems.Add($"{where}: {name} is not a cmdlet the module exports");
                continue;
            }
            foreach (var p in command.CommandElements.OfType<CommandParameterAst>())
            {
                var typed = p.ParameterName;
                if (parameters.ContainsKey(typed)) continue;
                var candidates = parameters.Where(kv => kv.Key.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                    .Select(kv => kv.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (candidates.Count == 0) problems.Add($"{where}: {name} has no parameter -{typed}");
                else if (candidates.Count > 1) problems.Add($"{where}: -{typed} of {name} is ambiguous ({string.Join(", ", candidates)})");
            }
        }
        return problems;
    }

    [Fact]
    public void The_suite_exists_and_covers_the_scenarios()
    {
        Assert.NotEmpty(Directory.GetFiles(PesterDir, "*.Tests.ps1"));
        // The suite is the test files and the set-up file they dot-source.
        var text = string.Concat(Directory.GetFiles(PesterDir, "*.ps1").Select(File.ReadAllText));
        foreach (var cmdlet in new[] { "Connect-Cimaa", "Set-CimaaFault", "Get-CimaaFault", "Add-CimaaSquelch", "Invoke-CimaaMetaCheck", "Get-CimaaStaleAgent" })
            Assert.Contains(cmdlet, text);
    }

    [Fact]
    public void Every_file_parses_and_uses_only_exported_cmdlets_and_their_parameters()
    {
        var exported = ExportedCmdlets();
        var problems = new List<string>();
        var files = Directory.GetFiles(PesterDir, "*.ps1", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var ast = Parser.ParseFile(file, out _, out var errors);
            var relative = Path.GetRelativePath(RepoPaths.Root, file);
            problems.AddRange(errors.Select(e => $"{relative}:{e.Extent.StartLineNumber}: {e.Message}"));
            problems.AddRange(Check(ast, relative, exported));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_exported_cmdlet_is_used_by_the_suite()
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.GetFiles(PesterDir, "*.Tests.ps1"))
        {
            var ast = Parser.ParseFile(file, out _, out _);
            foreach (var command in ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
                if (command.GetCommandName() is { } name) used.Add(name);
        }
        var unused = ExportedCmdlets().Keys.Where(c => !used.Contains(c)).Order().ToList();
        Assert.True(unused.Count == 0, "not used by tests/Pester: " + string.Join(", ", unused));
    }

    [Fact]
    public void Every_file_that_starts_dynalite_stops_it_in_AfterAll()
    {
        foreach (var file in Directory.GetFiles(PesterDir, "*.Tests.ps1"))
        {
            var ast = Parser.ParseFile(file, out _, out _);
            var commands = ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>().ToList();
            if (!commands.Any(c => c.GetCommandName() == "Start-TestDynalite")) continue;
            var stopsInAfterAll = commands.Where(c => c.GetCommandName() == "AfterAll")
                .Any(c => c.FindAll(a => a is CommandAst inner && inner.GetCommandName() == "Stop-TestDynalite", true).Any());
            Assert.True(stopsInAfterAll, $"{Path.GetFileName(file)} starts dynalite but does not stop it in AfterAll");
        }
    }

    [Fact]
    public void The_checker_reports_unknown_cmdlets_unknown_and_ambiguous_parameters()
    {
        var exported = ExportedCmdlets();
        var ast = Parser.ParseInput("""
            It 'x' {
                Get-CimaaFault -Agent web1 -Unsq -ea Stop -Conn $c     # fine: a unique prefix and an alias
                Add-CimaaSquelch -Regex x -Reason r                    # fine: an alias
                Get-CimaaFault -Bogus 1
                Get-CimaaWidget
                Add-CimaaSquelch -P x -Reason r                        # Pattern, Permanent, PassThru
            }
            """, out _, out var errors);
        Assert.Empty(errors);
        var problems = Check(ast, "sample", exported);
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("-Bogus"));
        Assert.Contains(problems, p => p.Contains("Get-CimaaWidget is not"));
        Assert.Contains(problems, p => p.Contains("-P of Add-CimaaSquelch is ambiguous"));
    }

    [Fact]
    public void A_syntax_error_is_reported()
    {
        using var dir = new TempDir();
        var file = dir.File("Bad.Tests.ps1");
        File.WriteAllText(file, "Describe 'x' {\n  It 'y' { Get-CimaaFault -Agent (\n}\n");
        Parser.ParseFile(file, out _, out var errors);
        Assert.NotEmpty(errors);
    }
}
