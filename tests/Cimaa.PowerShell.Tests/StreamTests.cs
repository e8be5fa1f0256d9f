using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>-Verbose and -Debug say what the cmdlets do.</summary>
public class StreamTests
{
    [Fact]
    public void Initialize_CimaaTable_writes_verbose_and_debug_lines_on_SQLite()
    {
        using var dir = new TempDir();
        var r = Ps.Run("Connect-Cimaa -Path $db; Initialize-CimaaTable -Verbose -Debug | Out-Null",
            new Dictionary<string, object> { ["db"] = dir.File("v.db") }).ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.Contains("Creating tables") && v.Contains("faults"));
        Assert.Contains(r.Debug, d => d.StartsWith("SQLite ", StringComparison.Ordinal));
    }

    [Fact]
    public void Set_CimaaFault_writes_verbose_and_debug_lines_on_SQLite()
    {
        using var dir = new TempDir();
        var r = Ps.Run("""
            Connect-Cimaa -Path $db
            Initialize-CimaaTable | Out-Null
            Set-CimaaFault -Agent web1 -Name disk -Severity 40 -Verbose -Debug
            """, new Dictionary<string, object> { ["db"] = dir.File("v.db") }).ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.Contains("web1") && v.Contains("writing 1 faults"));
        Assert.Contains(r.Debug, d => d.StartsWith("SQLite ", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_switches_nothing_is_written_to_verbose_or_debug()
    {
        using var dir = new TempDir();
        var r = Ps.Run("Connect-Cimaa -Path $db; Initialize-CimaaTable | Out-Null; Set-CimaaFault -Agent web1 -Name disk -Severity 40",
            new Dictionary<string, object> { ["db"] = dir.File("v.db") }).ThrowIfFailed();
        Assert.Empty(r.Verbose);
        Assert.Empty(r.Debug);
    }
}
