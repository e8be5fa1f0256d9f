using System.Text.RegularExpressions;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// Objects that come back from Start-Job (serialized at depth 1) or Import-Clixml (depth 2) are Deserialized.Cimaa.* property
/// bags: times are strings or bags, lists are ArrayLists. They render through the same table views as the live objects.
/// </summary>
public class DeserializedFormatTests
{
    private const string Time = @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ";

    /// <summary>
    /// Runs the setup (<paramref name="aged"/> first, on a clock set back by its age), then renders what
    /// <paramref name="command"/> emits after a serialization round trip at the depth.
    /// </summary>
    private static List<string> RenderDeserialized(string setup, string command, int depth, (TimeSpan Age, string Script)? aged = null)
    {
        using var store = new TestStore("Local");
        var now = store.Clock.GetUtcNow();
        if (aged is { } old) store.RunAt(now - old.Age, old.Script);
        store.Clock.Set(now);
        store.Variables["depth"] = depth;
        var writer = new StringWriter();
        store.RunWithHost($$"""
            {{setup}}
            $live = @({{command}})
            $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live, $depth))
            if (-not ($back[0].PSObject.TypeNames[0] -like 'Deserialized.Cimaa.*')) { throw "not deserialized: $($back[0].PSObject.TypeNames[0])" }
            $back | Out-Default
            """, writer).ThrowIfFailed();
        return writer.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
    }

    private static void HasLine(List<string> lines, string pattern) =>
        Assert.True(lines.Any(l => Regex.IsMatch(l, pattern)), $"no line matches {pattern}:\n{string.Join("\n", lines)}");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fault_table(int depth)
    {
        var lines = RenderDeserialized("""
            Set-CimaaFault -Agent web1 -Name disk -Severity 40 -Message 'disk full'
            Add-CimaaSquelch -Pattern disk -Reason maintenance
            """, "Get-CimaaFault", depth);
        HasLine(lines, @"^Agent\s+Name\s+Level\s+Since\s+Squelch\s+Message$");
        HasLine(lines, $@"^web1\s+disk\s+Error\s+{Time}\s+disk\s+disk full$");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Agent_table_shows_ages_as_humane_durations(int depth)
    {
        var lines = RenderDeserialized("", "Get-CimaaAgent", depth,
            (TimeSpan.FromDays(2) + TimeSpan.FromHours(3) + TimeSpan.FromMinutes(10), "Set-CimaaFault -Agent old1"));
        HasLine(lines, @"^Agent\s+LastSeen\s+Age$");
        HasLine(lines, $@"^old1\s+{Time}\s+2d 3h$");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Squelch_table_shows_the_age_and_the_expiry(int depth)
    {
        var lines = RenderDeserialized("Add-CimaaSquelch -Pattern '^load' -Reason noisy -User bob -Duration 7200", "Get-CimaaSquelch", depth);
        HasLine(lines, @"^Pattern\s+User\s+Age\s+Permanent\s+Expires\s+Reason$");
        HasLine(lines, $@"^\^load\s+bob\s+\d+s\s+False\s+{Time}\s+noisy$");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ConfigOption_table_shows_lists_and_maps_as_the_live_view_does(int depth)
    {
        var lines = RenderDeserialized("Set-CimaaConfig prod db -Value @{ host = 'h'; port = 8; list = 1, 2; pool = @{ max = 3; Min = 1 } }",
            "Get-CimaaConfig prod db", depth);
        HasLine(lines, @"^Store\s+Option\s+Values$");
        HasLine(lines, @"^prod\s+db\s+host=h; list=\[1, 2\]; pool=\{max, Min\}; port=8$");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DataPoint_table_shows_the_time_and_the_tags(int depth)
    {
        var setup = """
            Write-CimaaMetric cpu 5 -Tags @{ host = 'web1'; dc = 'eu' } -Timestamp '2026-11-23T12:00:00.250Z'
            Write-CimaaMetric cpu 7 -Tags @{ host = 'web2'; dc = 'eu' } -Timestamp '2026-11-23T12:00:00.250Z'
            """;
        var raw = RenderDeserialized(setup, "Get-CimaaMetric cpu -Start '2026-11-23T11:00:00Z' -End '2026-11-23T13:00:00Z'", depth);
        HasLine(raw, @"^Timestamp\s+Name\s+Value\s+Tags$");
        HasLine(raw, @"^2026-11-23 12:00:00\.250Z\s+cpu\s+5\s+dc=eu;host=web1$");
        var merged = RenderDeserialized(setup, "Get-CimaaMetric cpu -Start '2026-11-23T11:00:00Z' -End '2026-11-23T13:00:00Z' -Aggregate sum", depth);
        HasLine(merged, @"^2026-11-23 12:00:00\.250Z\s+cpu\s+12\s+dc=eu;host=web1,web2$");
    }

    // The user's case: the objects come back from a real job, in real pwsh, into a session that imported the module.
    [Fact]
    public void Agents_faults_and_datapoints_received_from_Start_Job_show_as_tables()
    {
        using var dir = new TempDir();
        var db = dir.File("job.db");
        Ps.Run("""
            Connect-Cimaa -Path $db
            Set-CimaaFault -Agent web1 -Name disk -Severity 40 -Message full
            Write-CimaaMetric cpu 5 -Tags @{ host = 'web1' } -Timestamp '2026-11-23T12:00:00.250Z'
            """, new Dictionary<string, object> { ["db"] = db }).ThrowIfFailed();
        var (code, output, error) = PwshProcess.Run("""
            Import-Module $env:CIMAA_TEST_MODULE
            $job = Start-Job { Import-Module $using:env:CIMAA_TEST_MODULE; Connect-Cimaa -Path $using:env:CIMAA_TEST_DB; Get-CimaaAgent }
            $job | Receive-Job -Wait -AutoRemoveJob | Out-String -Stream
            $job = Start-Job { Import-Module $using:env:CIMAA_TEST_MODULE; Connect-Cimaa -Path $using:env:CIMAA_TEST_DB; Get-CimaaFault }
            $job | Receive-Job -Wait -AutoRemoveJob | Out-String -Stream
            $job = Start-Job { Import-Module $using:env:CIMAA_TEST_MODULE; Connect-Cimaa -Path $using:env:CIMAA_TEST_DB; Get-CimaaMetric cpu -Start '2026-11-23T11:00:00Z' -End '2026-11-23T13:00:00Z' }
            $job | Receive-Job -Wait -AutoRemoveJob | Out-String -Stream
            """, new Dictionary<string, string> { ["CIMAA_TEST_DB"] = db });
        Assert.True(code == 0, output + error);
        var lines = output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        HasLine(lines, @"^Agent\s+LastSeen\s+Age$");
        HasLine(lines, $@"^web1\s+{Time}\s+\d+s$");
        HasLine(lines, @"^Agent\s+Name\s+Level\s+Since\s+Squelch\s+Message$");
        HasLine(lines, $@"^web1\s+disk\s+Error\s+{Time}\s+full$");
        HasLine(lines, @"^2026-11-23 12:00:00\.250Z\s+cpu\s+5\s+host=web1$");
        Assert.DoesNotContain(lines, l => l.StartsWith("RunspaceId", StringComparison.Ordinal));
    }
}
