using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>The bridge between Core and the pipeline thread, under many messages and no items.</summary>
public class PipelinePumpTests
{
    /// <summary>
    /// On SQLite a read completes synchronously, so the pipeline thread itself runs Core and queues its messages (with -Verbose
    /// and -Debug, a verbose and a debug line per agent) until an item comes. With no match among 700 agents that is 1,400 messages before the first item;
    /// the queue's bound (1024) once made the pipeline thread wait for room only it could make, and the command never ended.
    /// Run in its own pwsh, so a hang is killed by PID after the harness's timeout.
    /// </summary>
    [Fact]
    public void A_read_that_queues_more_than_1024_messages_before_its_first_item_ends()
    {
        using var dir = new TempDir();
        var (code, output, error) = PwshProcess.Run("""
            $ErrorActionPreference = 'Stop'
            Import-Module $env:CIMAA_TEST_MODULE
            Connect-Cimaa -Path $env:CIMAA_TEST_DB
            Initialize-CimaaTable | Out-Null
            0..699 | ForEach-Object { [pscustomobject]@{ Agent = "a$_"; Name = 'disk'; Severity = 40; Message = 'm' } } | Set-CimaaFault
            "none: $(@(Get-CimaaFault -Name nomatch -Verbose -Debug 4>$null 5>$null).Count)"
            "all: $(@(Get-CimaaFault -Name disk).Count)"
            """, new Dictionary<string, string> { ["CIMAA_TEST_DB"] = dir.File("many.db") });
        Assert.True(code == 0, output + error);
        Assert.Equal(["none: 0", "all: 700"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
    }

    /// <summary>
    /// Verbose and debug lines are dropped before the queue when PowerShell would drop them, so the preference decides exactly
    /// as for any cmdlet: -Verbose/-Debug when given (also as :$false), else $VerbosePreference/$DebugPreference.
    /// </summary>
    [Theory]
    [InlineData("Get-CimaaAgent", 0, 0)]
    [InlineData("Get-CimaaAgent -Verbose", 1, 0)]
    [InlineData("$VerbosePreference = 'Continue'; Get-CimaaAgent", 1, 0)]
    [InlineData("$VerbosePreference = 'Continue'; Get-CimaaAgent -Verbose:$false", 0, 0)]
    [InlineData("$DebugPreference = 'Continue'; Get-CimaaAgent", 0, 1)]
    [InlineData("Get-CimaaAgent -Debug", 0, 1)]
    [InlineData("$DebugPreference = 'Continue'; Get-CimaaAgent -Debug:$false", 0, 0)]
    public void Verbose_and_debug_lines_follow_the_preference(string command, int verbose, int debug)
    {
        using var dir = new TempDir();
        var r = Ps.Run("Connect-Cimaa -Path $db; Initialize-CimaaTable | Out-Null; " + command,
            new Dictionary<string, object> { ["db"] = dir.File("pref.db") }).ThrowIfFailed();
        Assert.Equal(verbose > 0, r.Verbose.Any(v => v.Contains("heartbeats", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(debug > 0, r.Debug.Any(d => d.StartsWith("SQLite ", StringComparison.Ordinal)));
    }
}
