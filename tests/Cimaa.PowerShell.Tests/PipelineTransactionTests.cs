using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>On SQLite a writing cmdlet's whole pipeline is one transaction: a stopping error undoes the writes before it.</summary>
public class PipelineTransactionTests
{
    [Fact]
    public void A_stopping_error_in_a_Remove_pipeline_rolls_back_the_removals_before_it_and_a_non_terminating_one_does_not()
    {
        using var dir = new TempDir();
        var result = Ps.Run("""
            Connect-Cimaa -Path $db
            1..3 | ForEach-Object { [pscustomobject]@{ Name = "f$_"; Severity = 40; Message = 'm' } } | Set-CimaaFault -Agent web1
            $targets = 'f1', 'missing', 'f2' | ForEach-Object { [pscustomobject]@{ Agent = 'web1'; Name = $_ } }
            try { $targets | Remove-CimaaFault -Confirm:$false -ErrorAction Stop } catch { "stopped: $($_.FullyQualifiedErrorId)" }
            (@(Get-CimaaFault -Agent web1).Name) -join ','
            $targets | Remove-CimaaFault -Confirm:$false -ErrorAction SilentlyContinue
            (@(Get-CimaaFault -Agent web1).Name) -join ','
            """, new Dictionary<string, object> { ["db"] = dir.File("tx.db") });
        Assert.Null(result.Terminating);
        var lines = result.Output.Select(o => o.ToString()).ToList();
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("stopped: FaultNotFound", lines[0]);
        Assert.Equal("f1,f2,f3", lines[1]);
        Assert.Equal("f3", lines[2]);
    }
}
