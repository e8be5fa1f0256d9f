using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>The bridge between Core and the pipeline thread, under many messages and no items.</summary>
public class PipelinePumpTests
{
    /// <summary>
    /// On SQLite a read completes synchronously, so the pipeline thread itself runs Core and queues its messages (a verbose and a
    /// debug line per agent) until an item comes. With no match among 700 agents that is 1,400 messages before the first item;
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
            "none: $(@(Get-CimaaFault -Name nomatch).Count)"
            "all: $(@(Get-CimaaFault -Name disk).Count)"
            """, new Dictionary<string, string> { ["CIMAA_TEST_DB"] = dir.File("many.db") });
        Assert.True(code == 0, output + error);
        Assert.Equal(["none: 0", "all: 700"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
    }
}
