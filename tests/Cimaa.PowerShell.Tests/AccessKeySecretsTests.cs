using System.Management.Automation;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// The secret of an access key is shown once, by New-CimaaAccessKey, in its SecretAccessKey property: it appears in no other
/// object, property, text, stream or error record, with -Verbose and -Debug, on either store; and in real pwsh neither
/// Format-Table, Format-List, Out-String, ConvertTo-Json nor Export-Csv of Get-CimaaAccessKey shows it.
/// </summary>
public class AccessKeySecretsTests
{
    private const string Drill = """
        $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $ProgressPreference = 'Continue'
        Initialize-CimaaTable -WarningAction SilentlyContinue -Verbose -Debug | Out-Null
        $new = New-CimaaAccessKey -Permission app:rw -Description 'drill' -Verbose -Debug
        $new
        Get-CimaaAccessKey -Verbose -Debug
        Get-CimaaAccessKey $new.AccessKeyId, NOPE0000000000000000 -Verbose -Debug
        (Get-CimaaAccessKey).PSObject.Properties.ForEach({ "$($_.Name)=$($_.Value)" })
        "$(Get-CimaaAccessKey)"
        Set-CimaaAccessKey $new.AccessKeyId -AddPermission x:r -Disable -PassThru -Verbose -Debug
        Set-CimaaAccessKey $new.AccessKeyId -AddPermission 'bad' -Verbose -Debug
        New-CimaaAccessKey -Permission '*:r' -Verbose -Debug
        Get-CimaaAccessKey | Set-CimaaAccessKey -Enable -PassThru -Verbose -Debug
        Get-CimaaConnection | Out-Default
        Remove-CimaaAccessKey $new.AccessKeyId, NOPE0000000000000000 -Confirm:$false -Verbose -Debug
        Get-CimaaAccessKey $new.AccessKeyId -Verbose -Debug
        """;

    [Theory]
    [InlineData("Local")]
    [InlineData("DynamoDB")]
    public void The_secret_of_a_new_key_appears_in_no_stream_but_its_one_property(string store)
    {
        using var dir = new TempDir();
        var vars = new Dictionary<string, object>
        {
            ["db"] = dir.File("k.db"), ["endpoint"] = DynaliteServer.Shared.Endpoint, ["prefix"] = "ks" + Guid.NewGuid().ToString("N")[..8],
        };
        var connect = store == "Local" ? "Connect-Cimaa -Path $db\n" : "Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix\n";
        var r = Ps.Run(connect + Drill, vars);

        var created = r.Output.First(o => o.TypeNames[0] == "Cimaa.NewAccessKey");
        var secret = (string)created.Properties["SecretAccessKey"].Value;
        Assert.Equal(40, secret.Length);
        // The run did what it says: keys listed, changed and removed, and the expected errors.
        Assert.Contains(r.Output, o => o.TypeNames[0] == "Cimaa.AccessKey");
        Assert.Equal(["AccessKeyNotFound", "InvalidPermission", "ConfirmationRequired", "AccessKeyNotFound", "AccessKeyNotFound"], r.ErrorIds);
        Assert.NotEmpty(r.Verbose);
        Assert.NotEmpty(r.Debug);

        var rest = r with { Output = new(r.Output.Where(o => !ReferenceEquals(o, created)).ToList()) };
        Assert.DoesNotContain(secret, rest.AllText);
        Assert.DoesNotContain(secret[..12], rest.AllText);
        foreach (var o in rest.Output)
        {
            foreach (var p in o.Properties) Assert.DoesNotContain(secret, Text(p.Value));
        }
        foreach (var e in r.Errors.Concat(r.Terminating is null ? [] : [r.Terminating.ErrorRecord]))
        {
            for (Exception? x = e.Exception; x is not null; x = x.InnerException) Assert.DoesNotContain(secret, x.ToString());
            Assert.DoesNotContain(secret, e.TargetObject?.ToString() ?? "");
        }
    }

    [Fact]
    public void No_format_or_export_of_Get_CimaaAccessKey_shows_the_secret_in_real_pwsh()
    {
        using var dir = new TempDir();
        var (code, output, error) = PwshProcess.Run($$"""
            $ErrorActionPreference = 'Stop'
            Import-Module $env:CIMAA_TEST_MODULE
            Connect-Cimaa -Path '{{dir.File("k.db")}}'
            $new = New-CimaaAccessKey -Permission app:rw -Description 'formats'
            [Console]::Error.WriteLine('SECRET=' + $new.SecretAccessKey)
            $keys = Get-CimaaAccessKey
            $keys | Format-Table | Out-String
            $keys | Format-Table * -AutoSize | Out-String -Width 400
            $keys | Format-List * | Out-String
            $keys | Out-String
            $keys | ConvertTo-Json -Depth 5
            $keys | ConvertTo-Csv
            $keys | Select-Object * | Out-String
            "$keys"
            """);
        Assert.True(code == 0, error);
        var secret = error.Split('\n').Single(l => l.StartsWith("SECRET=", StringComparison.Ordinal))["SECRET=".Length..].Trim();
        Assert.Equal(40, secret.Length);
        Assert.Contains("AccessKeyId", output);
        Assert.Contains("app:r", output);
        Assert.DoesNotContain(secret, output);
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        PSObject ps => Text(ps.BaseObject),
        string s => s,
        System.Collections.IEnumerable e => string.Join(",", e.Cast<object?>().Select(Text)),
        _ => value.ToString() ?? "",
    };
}
