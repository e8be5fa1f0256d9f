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

    [Fact]
    public void Agent_table_shows_ages_as_humane_durations()
    {
        using var dir = new TempDir();
        var db = dir.File("f.db");
        Ps.Run("Connect-Cimaa -Path $db; Initialize-CimaaTable | Out-Null", new Dictionary<string, object> { ["db"] = db }).ThrowIfFailed();
        Seed.Heartbeat(db, "old1", DateTimeOffset.UtcNow - TimeSpan.FromDays(2) - TimeSpan.FromHours(3) - TimeSpan.FromMinutes(10));
        var lines = Render("Get-CimaaAgent | Out-Default", db);
        HasLine(lines, @"^Agent\s+LastSeen\s+Age$");
        HasLine(lines, @"^old1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+2d 3h$");
    }

    [Fact]
    public void Squelch_table_shows_ages_as_humane_durations_and_expired_squelches()
    {
        using var dir = new TempDir();
        var db = dir.File("f.db");
        Ps.Run("Connect-Cimaa -Path $db; Initialize-CimaaTable | Out-Null", new Dictionary<string, object> { ["db"] = db }).ThrowIfFailed();
        Seed.Squelch(db, "^load", "noisy", "bob", DateTimeOffset.UtcNow - TimeSpan.FromHours(3) - TimeSpan.FromMinutes(5), permanent: true);
        var lines = Render("Get-CimaaSquelch | Out-Default", db);
        HasLine(lines, @"^Pattern\s+User\s+Age\s+Permanent\s+Expires\s+Reason$");
        HasLine(lines, @"^\^load\s+bob\s+3h 5m\s+True\s+noisy$");
    }
}
