using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// The bad-input drill: each bad input gets its documented ErrorId and writes nothing, which a read-back of the whole
/// store (faults, heartbeats, squelches, config) before and after shows.
/// </summary>
public class BadInputDrillTests
{
    private const string Setup = """
        Connect-Cimaa -Path $db
        Initialize-CimaaTable | Out-Null
        Set-CimaaFault -Agent keep -Name disk -Severity 40 -Message 'stays'
        Add-CimaaSquelch -Pattern keep -Reason 'stays'
        Set-CimaaConfig -Store prod -Option db -Value @{ host = 'h' }
        Write-CimaaMetric -Name keep -Value 1
        [System.IO.File]::WriteAllBytes($junk, [byte[]](0, 159, 146, 150, 255, 254, 0, 7, 27))
        """;

    private const string Dump = """
        Connect-Cimaa -Path $db
        $f = (Get-CimaaFault).ForEach({ "$($_.Agent)/$($_.Name)/$($_.Severity)/$($_.Message)" }) -join ','
        $a = (Get-CimaaAgent).ForEach({ "$($_.Agent)/$($_.LastSeen.ToUnixTimeSeconds())" }) -join ','
        $s = (Get-CimaaSquelch).ForEach({ "$($_.Pattern)/$($_.Reason)/$($_.Expires)" }) -join ','
        $c = (@(Get-CimaaConfig prod) + @(Get-CimaaConfig staging)).ForEach({ "$($_.Store)/$($_.Option)/$($_.Values.Keys -join ';')" }) -join ','
        $m = (Get-CimaaMetricName) -join ','
        $p = @(Get-CimaaMetric keep -Start -1d).Count
        "$f|$a|$s|$c|$m|$p"
        """;

    public static TheoryData<string, string> Cases => new()
    {
        { "[pscustomobject]@{ Agent = ''; Name = 'x'; Severity = 40 } | Set-CimaaFault", "InvalidFault" },
        { "[pscustomobject]@{ Name = 'x'; Severity = 'banana' } | Set-CimaaFault -Agent keep", "InvalidFault" },
        { "[pscustomobject]@{ Name = 'x'; Severity = 40; Message = 'x' * 200KB } | Set-CimaaFault -Agent keep", "InvalidFault" },
        { "[pscustomobject]@{ Name = ''; Severity = 40 } | Set-CimaaFault -Agent keep", "InvalidFault" },
        { "Set-CimaaFault -Agent _ -Name x -Severity 40", "InvalidFault" },
        { "@('x', 'x').ForEach({ [pscustomobject]@{ Name = $_; Severity = 40 } }) | Set-CimaaFault -Agent keep", "InvalidFault" },
        { "Set-CimaaFault -Agent keep -Name x -Severity -5", "InvalidFault" },
        { "Set-CimaaFault -Agent keep -Name x -Severity 40.5", "InvalidFault" },
        { "@([pscustomobject]@{ Agent = 'new'; Name = 'ok'; Severity = 40 }, [pscustomobject]@{ Agent = 'keep'; Name = 'bad'; Severity = 'high' }) | Set-CimaaFault", "InvalidFault" },
        { "Get-CimaaFault -MinimumSeverity banana", "ParameterArgumentTransformationError" },
        { "Add-CimaaSquelch -Pattern 'disk([' -Reason r", "InvalidSquelchPattern" },
        { "Add-CimaaSquelch -Pattern '(?<' -Reason r", "InvalidSquelchPattern" },
        { "Add-CimaaSquelch -Pattern x -Reason r -Duration -60", "InvalidSquelch" },
        { "Add-CimaaSquelch -Pattern x -Reason r -Until ([DateTimeOffset]::UtcNow.AddDays(-1))", "InvalidSquelch" },
        { "Add-CimaaSquelch -Pattern keep -Reason 'replaced?'", "SquelchExists" },
        { "Test-CimaaSquelch '(unclosed'", "InvalidSquelchPattern" },
        { "Remove-CimaaSquelch nope -Confirm:$false", "SquelchNotFound" },
        { "Remove-CimaaFault -Agent keep -Name nope -Confirm:$false", "FaultNotFound" },
        { "Remove-CimaaAgent -Agent nobody -Confirm:$false", "AgentNotFound" },
        { "Set-CimaaConfig -Store prod -Option db -Value @{ _store = 'x' }", "InvalidConfigValue" },
        { "Set-CimaaConfig -Store staging -Option db -Value @{ _option = 'x' }", "InvalidConfigValue" },
        { "Set-CimaaConfig -Store staging -Option db -Value @{ when = [datetime]::UtcNow }", "InvalidConfigValue" },
        { "Get-CimaaConfig prod nope", "ConfigOptionNotFound" },
        { "Test-CimaaDeployStatus $junk -ClusterVersionFrom 'deploy/cluster'", "InvalidClusterVersionSource" },
        { "Connect-Cimaa -Region us-east-1 -TablePrefix 'bad prefix!'", "InvalidTablePrefix" },
        { "Connect-Cimaa -Path ([System.IO.Path]::Combine($dir, 'missing', 'c.db'))", "InvalidConnection" },
        { "Connect-Cimaa -ConfigFile ([System.IO.Path]::Combine($dir, 'none.cfg'))", "InvalidConfigFile" },
        { "[System.IO.File]::WriteAllText($cfg, \"[database]`nclass = zc.cimaa.postgresql`n\"); Connect-Cimaa -ConfigFile $cfg", "InvalidConfigFile" },
        { "Connect-Cimaa -TablePrefix x", "InvalidConnection" },
        { "Write-CimaaMetric -Name 'a|b' -Value 1", "InvalidMetric" },
        { "@([pscustomobject]@{ Name = 'ok'; Value = 1 }, [pscustomobject]@{ Name = ''; Value = 2 }) | Write-CimaaMetric", "InvalidMetric" },
        { "Write-CimaaMetric -Name keep -Value ('x' * 70KB)", "InvalidMetric" },
        { "$t = @{}; 1..21 | ForEach-Object { $t[\"k$_\"] = 'v' }; Write-CimaaMetric -Name keep -Value 1 -Tags $t", "InvalidMetric" },
        { "Get-CimaaMetric keep -Start yesterday", "InvalidTime" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_gets_its_ErrorId_and_writes_nothing(string script, string errorId)
    {
        using var dir = new TempDir();
        var vars = new Dictionary<string, object> { ["db"] = dir.File("c.db"), ["junk"] = dir.File("junk"), ["dir"] = dir.Path, ["cfg"] = dir.File("a.cfg") };
        Ps.Run(Setup, vars).ThrowIfFailed();
        var before = (string)Ps.Run(Dump, vars).ThrowIfFailed().Output.Single().BaseObject;
        Assert.Contains("keep/disk/40/stays", before);
        var r = Ps.Run("Connect-Cimaa -Path $db\n" + script, vars);
        Assert.Contains(errorId, r.ErrorIds);
        Assert.All(r.ErrorIds, id => Assert.Equal(errorId, id));
        Assert.Equal(before, (string)Ps.Run(Dump, vars).ThrowIfFailed().Output.Single().BaseObject);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public void A_status_file_of_binary_junk_is_UNKNOWN_and_stores_nothing()
    {
        using var dir = new TempDir();
        var vars = new Dictionary<string, object> { ["db"] = dir.File("c.db"), ["junk"] = dir.File("junk"), ["dir"] = dir.Path, ["cfg"] = dir.File("a.cfg") };
        Ps.Run(Setup, vars).ThrowIfFailed();
        var before = (string)Ps.Run(Dump, vars).ThrowIfFailed().Output.Single().BaseObject;
        var r = Ps.Run("Connect-Cimaa -Path $db; $s = Test-CimaaDeployStatus $junk; \"$($s.State) $($s.ExitCode)\"; $s.Message", vars).ThrowIfFailed();
        Assert.Equal("UNKNOWN 3", r.Output[0].BaseObject);
        Assert.StartsWith("Malformed status file", (string)r.Output[1].BaseObject);
        Assert.Equal(before, (string)Ps.Run(Dump, vars).ThrowIfFailed().Output.Single().BaseObject);
    }
}
