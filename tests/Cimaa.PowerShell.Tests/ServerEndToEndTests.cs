using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// End to end through the real metrics server: a key made by New-CimaaAccessKey on an SQLite file, the server started on that
/// file, then Write-CimaaMetric and Get-CimaaMetric on a `Connect-Cimaa -ServerUrl` connection signing with that key; the
/// points are read back from the file directly.
/// </summary>
public sealed class ServerEndToEndTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Write_and_Get_CimaaMetric_go_through_the_server_with_a_key_made_by_New_CimaaAccessKey()
    {
        var db = _dir.File("cimaa.db");
        var made = Ps.Run("""
            $local = Connect-Cimaa -Path $db -PassThru
            $key = New-CimaaAccessKey -Permission 'e2e:rw' -Description 'end to end' -Connection $local -Confirm:$false
            $key.AccessKeyId
            $key.SecretAccessKey
            """, new Dictionary<string, object> { ["db"] = db }).ThrowIfFailed();
        var (id, secret) = ((string)made.Output[0].BaseObject, (string)made.Output[1].BaseObject);

        using var server = await MetricsServerProcess.StartAsync(db);
        var vars = new Dictionary<string, object> { ["url"] = server.Url.ToString(), ["id"] = id, ["secret"] = secret, ["db"] = db };
        var r = Ps.Run("""
            $cred = [pscredential]::new($id, [System.Net.NetworkCredential]::new('', $secret).SecurePassword)
            $remote = Connect-Cimaa -ServerUrl $url -Credential $cred -PassThru
            $at = [DateTimeOffset]::FromUnixTimeSeconds([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() - 120)
            Write-CimaaMetric e2e.load 1.5 -Domain e2e -Tags @{ host = 'web1' } -Timestamp $at -Connection $remote
            Write-CimaaMetric e2e.load 2.5 -Domain e2e -Tags @{ host = 'web2' } -Timestamp $at.AddSeconds(10) -Connection $remote
            Get-CimaaMetric e2e.load -Domain e2e -Start '-1h' -Connection $remote
            '---'
            Get-CimaaMetric e2e.load -Domain e2e -Start '-1h' -Aggregate sum -Connection $remote
            '---'
            $remote.Kind
            $remote.RequestCount
            '---'
            Get-CimaaMetric e2e.load -Domain e2e -Start '-1h' -Connection (Connect-Cimaa -Path $db -PassThru)
            """, vars).ThrowIfFailed();

        var parts = Split(r.Output);
        Assert.Equal([("web1", 1.5m), ("web2", 2.5m)], parts[0].Select(o =>
            ((string)((System.Collections.IDictionary)o.Properties["Tags"].Value)["host"]!, (decimal)o.Properties["Value"].Value)));
        Assert.All(parts[0], o => Assert.Equal("Cimaa.DataPoint", o.TypeNames[0]));
        Assert.Equal([1.5m, 2.5m], parts[1].Select(o => (decimal)o.Properties["Value"].Value));
        // Two writes, a raw query (its tag listing, then the query) and an aggregated one.
        Assert.Equal(("Server", 5L), ((string)parts[2][0].BaseObject, (long)parts[2][1].BaseObject));
        Assert.Equal(parts[0].Select(o => (o.Properties["Timestamp"].Value, o.Properties["Value"].Value)),
            parts[3].Select(o => (o.Properties["Timestamp"].Value, o.Properties["Value"].Value)));
        Assert.Contains("POST /api/v1/e2e/datapoints 204", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, r.AllText, StringComparison.Ordinal);
    }

    private static List<List<System.Management.Automation.PSObject>> Split(IEnumerable<System.Management.Automation.PSObject> output)
    {
        var parts = new List<List<System.Management.Automation.PSObject>> { new() };
        foreach (var o in output)
        {
            if (o.BaseObject is "---") parts.Add([]);
            else parts[^1].Add(o);
        }
        return parts;
    }
}
