using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Names are keys: -Agent, -Name, -Pattern, -Store and -Option match case-sensitively, exact and wildcard alike, on both stores.</summary>
public class NameMatchingTests
{
    public static TheoryData<string> Stores => new() { "Local", "DynamoDB" };

    private static PsResult Run(string kind, string script)
    {
        using var dir = new TempDir();
        var variables = new Dictionary<string, object>
        {
            ["db"] = dir.File("n.db"),
            ["endpoint"] = DynaliteServer.Shared.Endpoint,
            ["prefix"] = "nm" + Guid.NewGuid().ToString("N")[..12],
        };
        var connect = kind == "Local" ? "Connect-Cimaa -Path $db\n" : "Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix\n";
        return Ps.Run(connect + "Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null\n" + Seed + script, variables);
    }

    private const string Seed = """
        Set-CimaaFault -Agent web1 -Name disk -Severity 40
        Set-CimaaFault -Agent WEB2 -Name Disk -Severity 30
        Add-CimaaSquelch -Pattern 'disk.*' -Reason maintenance
        Set-CimaaConfig -Store prod -Option db -Value @{ host = 'db1' }

        """;

    private static List<string> Lines(PsResult r) => r.Output.Select(o => o?.ToString() ?? "").ToList();

    [Theory]
    [MemberData(nameof(Stores))]
    public void Agent_names_match_case_sensitively(string kind)
    {
        var r = Run(kind, """
            "agent WEB1: $((Get-CimaaAgent -Agent WEB1).Agent)"
            "agent web*: $((Get-CimaaAgent -Agent web*).Agent)"
            "agent W*: $((Get-CimaaAgent -Agent W*).Agent)"
            "fault WEB1: $((Get-CimaaFault -Agent WEB1).Agent)"
            "fault web*: $((Get-CimaaFault -Agent web*).Agent)"
            "fault WEB*: $((Get-CimaaFault -Agent WEB*).Agent)"
            """).ThrowIfFailed();
        Assert.Equal(["agent WEB1: ", "agent web*: web1", "agent W*: WEB2", "fault WEB1: ", "fault web*: web1", "fault WEB*: WEB2"], Lines(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Fault_names_and_squelch_patterns_match_case_sensitively(string kind)
    {
        var r = Run(kind, """
            "name disk: $((Get-CimaaFault -Name disk).Agent)"
            "name D*: $((Get-CimaaFault -Name D*).Agent)"
            "pattern DISK.*: $((Get-CimaaSquelch -Pattern 'DISK.*').Pattern)"
            "pattern d*: $((Get-CimaaSquelch -Pattern d*).Pattern)"
            "pattern D*: $((Get-CimaaSquelch -Pattern D*).Pattern)"
            "preview: $((Test-CimaaSquelch -Pattern 'disk').Agent)"
            """).ThrowIfFailed();
        Assert.Equal(["name disk: web1", "name D*: WEB2", "pattern DISK.*: ", "pattern d*: disk.*", "pattern D*: ", "preview: web1"], Lines(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Removing_by_a_name_in_another_case_finds_nothing_and_deletes_nothing(string kind)
    {
        var r = Run(kind, """
            Remove-CimaaAgent -Agent WEB1 -Confirm:$false
            Remove-CimaaFault -Agent web1 -Name DISK -Confirm:$false
            Remove-CimaaSquelch -Pattern 'DISK.*' -Confirm:$false
            "$(@(Get-CimaaAgent).Count) $(@(Get-CimaaFault).Count) $(@(Get-CimaaSquelch).Count)"
            """);
        Assert.Equal(["AgentNotFound", "FaultNotFound", "SquelchNotFound"], r.ErrorIds);
        Assert.Equal(["2 2 1"], Lines(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Config_stores_and_options_match_case_sensitively(string kind)
    {
        var r = Run(kind, """
            "PROD/db: $((Get-CimaaConfig -Store PROD -Option db).Values.host)"
            "prod/DB: $((Get-CimaaConfig -Store prod -Option DB).Values.host)"
            "prod/db: $((Get-CimaaConfig -Store prod -Option db).Values.host)"
            "PROD: $(@(Get-CimaaConfig -Store PROD).Count)"
            Remove-CimaaConfig -Store prod -Option DB -Confirm:$false
            "after: $((Get-CimaaConfig -Store prod -Option db).Values.host)"
            """);
        Assert.Equal(["ConfigOptionNotFound", "ConfigOptionNotFound", "ConfigOptionNotFound"], r.ErrorIds);
        Assert.Equal(["PROD/db: ", "prod/DB: ", "prod/db: db1", "PROD: 0", "after: db1"], Lines(r));
    }
}
