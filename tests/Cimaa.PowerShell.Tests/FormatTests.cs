using System.Text.RegularExpressions;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Each output type renders through its table view in a host: one test per type, checking the header row.</summary>
public class FormatTests
{
    private static List<string> Render(string script, string db)
    {
        var writer = new StringWriter();
        Ps.RunWithHost("Connect-Cimaa -Path $db\n" + script, writer, new Dictionary<string, object> { ["db"] = db }).ThrowIfFailed();
        return writer.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
    }

    private static void HasLine(List<string> lines, string pattern) =>
        Assert.True(lines.Any(l => Regex.IsMatch(l, pattern)), $"no line matches {pattern}:\n{string.Join("\n", lines)}");

    [Fact]
    public void CimaaConnection_table()
    {
        using var dir = new TempDir();
        var lines = Render("Get-CimaaConnection | Out-Default", dir.File("f.db"));
        HasLine(lines, @"^Kind\s+Path\s+Region\s+TablePrefix\s+EndpointUrl$");
        HasLine(lines, @"^Local\s+/\S+f\.db$");
    }

    [Fact]
    public void TableStatus_table()
    {
        using var dir = new TempDir();
        var lines = Render("Initialize-CimaaTable | Out-Default", dir.File("f.db"));
        HasLine(lines, @"^Table\s+Status\s+KeySchema$");
        HasLine(lines, @"^faults\s+Created\s+agent, name$");
    }

    [Fact]
    public void Fault_table()
    {
        using var dir = new TempDir();
        var lines = Render("""
            Set-CimaaFault -Agent web1 -Name disk -Severity 40 -Message 'disk full'
            Add-CimaaSquelch -Pattern disk -Reason maintenance
            Get-CimaaFault | Out-Default
            """, dir.File("f.db"));
        HasLine(lines, @"^Agent\s+Name\s+Level\s+Since\s+Squelch\s+Message$");
        HasLine(lines, @"^web1\s+disk\s+Error\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+disk\s+disk full$");
    }

    /// <summary>Renders on a store whose clock is set back while <paramref name="seed"/> runs, then returned.</summary>
    private static List<string> RenderAged(string kind, TimeSpan age, string seed, string script)
    {
        using var store = new TestStore(kind);
        var now = store.Clock.GetUtcNow();
        store.RunAt(now - age, seed);
        store.Clock.Set(now);
        var writer = new StringWriter();
        store.RunWithHost(script, writer).ThrowIfFailed();
        return writer.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Agent_table_shows_ages_as_humane_durations(string kind)
    {
        var lines = RenderAged(kind, TimeSpan.FromDays(2) + TimeSpan.FromHours(3) + TimeSpan.FromMinutes(10), "Set-CimaaFault -Agent old1",
            "Get-CimaaAgent | Out-Default");
        HasLine(lines, @"^Agent\s+LastSeen\s+Age$");
        HasLine(lines, @"^old1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+2d 3h$");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Squelch_table_shows_ages_as_humane_durations_and_expired_squelches(string kind)
    {
        var lines = RenderAged(kind, TimeSpan.FromHours(3) + TimeSpan.FromMinutes(5), "Add-CimaaSquelch -Pattern '^load' -Reason noisy -User bob -Permanent",
            "Get-CimaaSquelch | Out-Default");
        HasLine(lines, @"^Pattern\s+User\s+Age\s+Permanent\s+Expires\s+Reason$");
        HasLine(lines, @"^\^load\s+bob\s+3h 5m\s+True\s+noisy$");
    }
}
