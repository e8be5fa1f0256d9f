using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Test-CimaaDeployStatus with the configuration store and the faults: the parts that span features.</summary>
public sealed class DeployIntegrationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private PsResult Run(string script) =>
        Ps.Run("Connect-Cimaa -Path $db\n$now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()\n" + script,
            new Dictionary<string, object> { ["db"] = _dir.File("d.db"), ["status"] = _dir.File("status") });

    [Fact]
    public void ClusterVersionFrom_reads_the_configuration_store()
    {
        var r = Run("""
            [System.IO.File]::WriteAllText($status, "$($now - 30) 42 1.2.3 done")
            Set-CimaaConfig deploy cluster -Value @{ version = '1.2.3' }
            $a = Test-CimaaDeployStatus $status -ClusterVersionFrom deploy/cluster/version
            Set-CimaaConfig deploy cluster -Value @{ version = '1.2.4' }
            $b = Test-CimaaDeployStatus $status -ClusterVersionFrom deploy/cluster/version
            Set-CimaaConfig deploy cluster -Value @{ other = 1 }
            $c = Test-CimaaDeployStatus $status -ClusterVersionFrom deploy/cluster/version
            $d = Test-CimaaDeployStatus $status -ClusterVersionFrom deploy/nothing/version
            $a, $b, $c, $d | ForEach-Object { "$($_.State)|$($_.Message)" }
            """).ThrowIfFailed();
        Assert.Equal(["OK|done", "CRITICAL|Version mismatch (status: 1.2.3, cluster: 1.2.4)", "WARNING|Cluster version is None", "WARNING|Cluster version is None"],
            r.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void A_bad_source_is_InvalidClusterVersionSource()
    {
        var r = Run("Test-CimaaDeployStatus $status -ClusterVersionFrom 'deploy/cluster'");
        Assert.Equal(["InvalidClusterVersionSource"], r.ErrorIds);
    }

    [Fact]
    public void The_status_pipes_into_Set_CimaaFault_and_a_healthy_check_clears_its_fault()
    {
        var r = Run("""
            Set-CimaaFault -Agent web1 -Name disk -Severity 40
            [System.IO.File]::WriteAllText($status, "$($now - 700) 42 2.0 installing app")
            Test-CimaaDeployStatus $status | Set-CimaaFault -Agent web1 -Check deploy
            (Get-CimaaFault web1).ForEach({ "$($_.Name)|$($_.Severity)|$($_.Message)" })
            '---'
            [System.IO.File]::WriteAllText($status, "$($now - 5) 42 2.0 done")
            Test-CimaaDeployStatus $status | Set-CimaaFault -Agent web1 -Check deploy
            (Get-CimaaFault web1).ForEach({ "$($_.Name)|$($_.Severity)" })
            """).ThrowIfFailed();
        Assert.Equal(2, r.Output.Count(o => ((string)o.BaseObject).StartsWith("disk|40", StringComparison.Ordinal)));
        Assert.Contains(r.Output, o => System.Text.RegularExpressions.Regex.IsMatch((string)o.BaseObject, @"^deploy\|40\|Too long deploying 2\.0 \(installing app\) 70\d > 600$"));
        Assert.Equal("disk|40", r.Output.Last().BaseObject);
        Assert.Equal(4, r.Output.Count);
    }
}
