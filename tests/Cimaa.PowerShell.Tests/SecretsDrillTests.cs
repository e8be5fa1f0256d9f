using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>The secret key given through -Credential or an agent INI file appears in no stream and no error record.</summary>
public class SecretsDrillTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";

    private const string EveryCmdlet = """
        $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $ProgressPreference = 'Continue'
        Get-CimaaConnection | Out-Default
        (Get-CimaaConnection).PSObject.Properties.ForEach({ "$($_.Name)=$($_.Value)" })
        Initialize-CimaaTable -Verbose -Debug
        [pscustomobject]@{ Name = 'disk'; Severity = 40; Message = 'm' } | Set-CimaaFault -Agent web1 -Verbose -Debug -PassThru
        Get-CimaaFault -Verbose -Debug
        Get-CimaaAgent -Verbose -Debug
        Get-CimaaStaleAgent -OlderThan 0 -Verbose -Debug
        Add-CimaaSquelch disk -Reason r -Verbose -Debug -PassThru
        Add-CimaaSquelch disk -Reason again -Verbose -Debug
        Get-CimaaSquelch -Verbose -Debug
        Test-CimaaSquelch disk -Verbose -Debug
        Invoke-CimaaMetaCheck -AsJson -Verbose -Debug
        Set-CimaaConfig prod db -Value @{ host = 'h' } -Verbose -Debug -PassThru
        Get-CimaaConfig prod -MaxAge 60 -Verbose -Debug
        Get-CimaaConfig prod nope -Verbose -Debug
        Remove-CimaaConfig prod db -Confirm:$false -Verbose -Debug
        Write-CimaaMetric cpu 1.5 -Tags @{ host = 'web1' } -Verbose -Debug
        Get-CimaaMetric cpu -Start -1h -Verbose -Debug
        Get-CimaaMetricName -Verbose -Debug
        Get-CimaaMetricTag cpu -Verbose -Debug
        Test-CimaaDeployStatus $missing -ClusterVersionFrom deploy/cluster/version -Verbose -Debug
        Remove-CimaaSquelch disk, nope -Confirm:$false -Verbose -Debug
        Remove-CimaaFault -Agent web1 -Name disk, nope -Confirm:$false -Verbose -Debug
        Remove-CimaaAgent web1, nobody -Confirm:$false -Verbose -Debug
        Connect-Cimaa -EndpointUrl http://127.0.0.1:1 -TablePrefix dead -Credential $cred -MaxReadAttempts 1 -Verbose -Debug
        Get-CimaaFault -Verbose -Debug
        """;

    [Fact]
    public void Secret_from_Credential_appears_nowhere()
    {
        var r = Ps.Run("""
            $cred = [pscredential]::new('AKIDSECRETTEST', [System.Net.NetworkCredential]::new('', $secret).SecurePassword)
            Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix -Credential $cred -Verbose -Debug
            """ + "\n" + EveryCmdlet, Vars());
        Check(r);
    }

    [Fact]
    public void Secret_from_an_agent_INI_file_appears_nowhere()
    {
        using var dir = new TempDir();
        var ini = dir.File("agent.cfg");
        var vars = Vars();
        File.WriteAllText(ini, $"[database]\nclass = zc.cimaa.dynamodb\nregion = us-east-1\nprefix = {vars["prefix"]}\n" +
                               $"aws_access_key_id = AKIDSECRETTEST\naws_secret_access_key = {Secret}\nendpoint_url = {DynaliteServer.Shared.Endpoint}\n");
        vars["ini"] = ini;
        var r = Ps.Run("""
            $cred = [pscredential]::new('AKIDSECRETTEST', [System.Net.NetworkCredential]::new('', $secret).SecurePassword)
            Connect-Cimaa -ConfigFile $ini -Verbose -Debug
            """ + "\n" + EveryCmdlet, vars);
        Check(r);
    }

    private static Dictionary<string, object> Vars() => new()
    {
        ["secret"] = Secret,
        ["endpoint"] = DynaliteServer.Shared.Endpoint,
        ["prefix"] = "sec" + Guid.NewGuid().ToString("N")[..8],
        ["missing"] = Path.Combine(Path.GetTempPath(), "no-such-status-" + Guid.NewGuid().ToString("N")),
    };

    private static void Check(PsResult r)
    {
        // The run did exercise the cmdlets: output, verbose and debug lines, and the expected errors.
        Assert.True(r.Output.Count > 10, "too little output: " + r.AllText);
        Assert.NotEmpty(r.Verbose);
        Assert.NotEmpty(r.Debug);
        Assert.Contains("SquelchExists", r.ErrorIds);
        Assert.Contains("DynamoDbUnavailable", r.ErrorIds);
        Assert.DoesNotContain(Secret, r.AllText);
        Assert.DoesNotContain(Secret[..12], r.AllText);
        foreach (var e in r.Errors)
        {
            for (Exception? x = e.Exception; x is not null; x = x.InnerException) Assert.DoesNotContain(Secret, x.ToString());
            Assert.DoesNotContain(Secret, e.TargetObject?.ToString() ?? "");
        }
    }
}
