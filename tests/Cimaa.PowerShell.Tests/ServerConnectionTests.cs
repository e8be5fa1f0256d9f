using System.Management.Automation;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// Connect-Cimaa -ServerUrl: the metric cmdlets talk to a fake KairosDB server on 127.0.0.1 with signed requests (each checked
/// by an independent SigV4 check); every other data cmdlet stops with NotSupportedByConnection and sends nothing.
/// </summary>
public sealed class ServerConnectionTests : IDisposable
{
    private const string KeyId = "AKIDSERVER0000000001";
    private const string Secret = "SeRvErSeCrEt/abcdefghijklmnopqrstuvwxyz01";

    private readonly FakeHttpServer _server;
    private readonly List<string?> _signatures = [];
    private Func<RecordedRequest, FakeResponse> _answer = _ => new FakeResponse(204);
    private string _region = "us-west-2";

    public ServerConnectionTests() => _server = new FakeHttpServer(r =>
    {
        lock (_signatures) _signatures.Add(IndependentSigV4.Check(r, KeyId, Secret, _region));
        return _answer(r);
    });

    public void Dispose() => _server.Dispose();

    private Dictionary<string, object> Vars => new() { ["url"] = _server.Url.ToString(), ["secret"] = Secret, ["id"] = KeyId };

    private const string Connect = """
        $cred = [pscredential]::new($id, [System.Net.NetworkCredential]::new('', $secret).SecurePassword)
        Connect-Cimaa -ServerUrl $url -Credential $cred

        """;

    private PsResult Run(string script) => Ps.Run(Connect + script, Vars);

    private static string Answer(RecordedRequest r) => r.RawPath switch
    {
        "/api/v1/default/datapoints/query/tags" => """{"queries":[{"results":[{"name":"cpu","tags":{"host":["web1"]},"values":[]}]}]}""",
        "/api/v1/default/datapoints/query" => """{"queries":[{"results":[{"name":"cpu","group_by":[{"name":"type","type":"number"},{"name":"tag","tags":["host"],"group":{"host":"web1"}}],"tags":{"host":["web1"]},"values":[[1000,1.5],[2000,2]]}],"sample_size":2}]}""",
        "/api/v1/default/metricnames" => """{"results":["mem","cpu"]}""",
        _ => "",
    };

    [Fact]
    public void The_metric_cmdlets_send_signed_KairosDB_requests_and_read_the_answers()
    {
        _answer = r => r.Method == "POST" && r.RawPath == "/api/v1/default/datapoints" ? new FakeResponse(204) : new FakeResponse(200, Answer(r));
        var r = Run("""
            Write-CimaaMetric cpu 1.5 -Tags @{ host = 'web1' } -Timestamp ([DateTimeOffset]::FromUnixTimeMilliseconds(1000))
            '---'
            Get-CimaaMetric cpu -Start ([DateTimeOffset]::FromUnixTimeMilliseconds(0)) -End ([DateTimeOffset]::FromUnixTimeMilliseconds(5000))
            '---'
            Get-CimaaMetricName
            '---'
            Get-CimaaMetricTag cpu
            '---'
            (Get-CimaaConnection).RequestCount
            """).ThrowIfFailed();
        var requests = _server.Requests.ToList();
        Assert.Equal(["POST /api/v1/default/datapoints", "POST /api/v1/default/datapoints/query/tags", "POST /api/v1/default/datapoints/query",
            "GET /api/v1/default/metricnames", "POST /api/v1/default/datapoints/query/tags"], requests.Select(q => $"{q.Method} {q.RawPath}"));
        Assert.Equal("""[{"name":"cpu","tags":{"host":"web1"},"datapoints":[[1000,1.5]]}]""", requests[0].BodyText);
        Assert.Equal("""{"start_absolute":0,"end_absolute":5000,"metrics":[{"name":"cpu","group_by":[{"name":"tag","tags":["host"]}]}]}""", requests[2].BodyText);
        Assert.All(_signatures, s => Assert.Null(s));
        Assert.All(requests, q => Assert.Contains($"Credential={KeyId}/", q.Header("Authorization")));

        var parts = Split(r.Output);
        Assert.Empty(parts[0]);
        Assert.Equal(["Cimaa.DataPoint", "Cimaa.DataPoint"], parts[1].Select(o => o.TypeNames[0]));
        Assert.Equal([1.5m, 2m], parts[1].Select(o => o.Properties["Value"].Value));
        Assert.Equal("web1", ((System.Collections.IDictionary)parts[1][0].Properties["Tags"].Value)["host"]);
        Assert.Equal(["cpu", "mem"], parts[2].Select(o => o.BaseObject));
        Assert.Equal(("Cimaa.MetricTag", "host"), (parts[3][0].TypeNames[0], (string)parts[3][0].Properties["Key"].Value));
        Assert.Equal(5L, parts[4][0].BaseObject);
    }

    [Fact]
    public void A_cmdlet_that_does_not_work_on_the_connection_stops_before_input_or_confirmation()
    {
        var r = Run("""
            try { Remove-CimaaAgent a, b -WhatIf; 'went on' } catch { $_.FullyQualifiedErrorId }
            try { Remove-CimaaSquelch x -WhatIf; 'went on' } catch { $_.FullyQualifiedErrorId }
            """).ThrowIfFailed();
        Assert.Equal(["NotSupportedByConnection,Cimaa.PowerShell.Commands.RemoveCimaaAgentCommand",
            "NotSupportedByConnection,Cimaa.PowerShell.Commands.RemoveCimaaSquelchCommand"], r.Output.Select(o => o.BaseObject.ToString()));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void Every_other_data_cmdlet_stops_with_NotSupportedByConnection_and_sends_nothing()
    {
        var commands = new Dictionary<string, string>
        {
            ["Initialize-CimaaTable"] = "Initialize-CimaaTable",
            ["Get-CimaaFault"] = "Get-CimaaFault",
            ["Set-CimaaFault"] = "Set-CimaaFault -Agent a",
            ["Remove-CimaaFault"] = "Remove-CimaaFault -Agent a -Name b -Confirm:$false",
            ["Get-CimaaAgent"] = "Get-CimaaAgent",
            ["Get-CimaaStaleAgent"] = "Get-CimaaStaleAgent",
            ["Remove-CimaaAgent"] = "Remove-CimaaAgent a -Confirm:$false",
            ["Add-CimaaSquelch"] = "Add-CimaaSquelch x -Reason r",
            ["Get-CimaaSquelch"] = "Get-CimaaSquelch",
            ["Remove-CimaaSquelch"] = "Remove-CimaaSquelch x -Confirm:$false",
            ["Test-CimaaSquelch"] = "Test-CimaaSquelch x",
            ["Invoke-CimaaMetaCheck"] = "Invoke-CimaaMetaCheck",
            ["Get-CimaaConfig"] = "Get-CimaaConfig s",
            ["Set-CimaaConfig"] = "Set-CimaaConfig s o -Value @{ a = 1 }",
            ["Remove-CimaaConfig"] = "Remove-CimaaConfig s o -Confirm:$false",
            ["Test-CimaaDeployStatus"] = "Test-CimaaDeployStatus /nonexistent/status -ClusterVersionFrom a/b/c",
            ["New-CimaaAccessKey"] = "New-CimaaAccessKey -Permission a:r",
            ["Get-CimaaAccessKey"] = "Get-CimaaAccessKey",
            ["Set-CimaaAccessKey"] = "Set-CimaaAccessKey X -Disable",
            ["Remove-CimaaAccessKey"] = "Remove-CimaaAccessKey X -Confirm:$false",
            ["Export-CimaaDatabase"] = "Export-CimaaDatabase /nonexistent/export.jsonl",
            ["Export-CimaaReport"] = "Export-CimaaReport /nonexistent/report.html",
            ["Import-CimaaDatabase"] = "Import-CimaaDatabase /nonexistent/export.jsonl -Confirm:$false",
        };
        var exported = Ps.Run("(Get-Module Cimaa).ExportedCmdlets.Keys").ThrowIfFailed().Output.Select(o => (string)o.BaseObject);
        string[] working = ["Connect-Cimaa", "Get-CimaaConnection", "Write-CimaaMetric", "Get-CimaaMetric", "Get-CimaaMetricName", "Get-CimaaMetricTag"];
        Assert.Equal(exported.Except(working).Order(StringComparer.Ordinal), commands.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, command) in commands)
        {
            // try/catch sees terminating errors only.
            var r = Run($"try {{ {command}; 'went on' }} catch {{ $_.FullyQualifiedErrorId; $_.CategoryInfo.Category.ToString(); $_.Exception.Message }}").ThrowIfFailed();
            var said = r.Output.Select(o => o.BaseObject.ToString()!).ToList();
            Assert.True(said.Count == 3 && said[0] == $"NotSupportedByConnection,Cimaa.PowerShell.Commands.{name.Replace("-", "")}Command", $"{name}: {string.Join(" | ", said)}");
            Assert.Equal("InvalidOperation", said[1]);
            Assert.StartsWith($"{name} does not work on a Server connection ({_server.Url.ToString().TrimEnd('/')})", said[2]);
        }
        Assert.Empty(_server.Requests);
        // Reading a status file needs no store, so it works on any connection.
        Assert.Equal("CRITICAL", Run("(Test-CimaaDeployStatus /nonexistent/status).State").ThrowIfFailed().Output.Single().BaseObject);
    }

    [Fact]
    public void Get_CimaaConnection_shows_a_Server_connection_and_never_the_secret()
    {
        var writer = new StringWriter();
        var r = Ps.RunWithHost(Connect + """
            $c = Get-CimaaConnection
            $c
            $c | Out-Default
            $c.ToString()
            ($c.PSObject.Properties.ForEach({ "$($_.Name)=$($_.Value)" })) -join ';'
            """, writer, Vars).ThrowIfFailed();
        var c = r.Output[0];
        Assert.Equal(("Server", "us-west-2", KeyId), ((string)c.Properties["Kind"].Value, (string)c.Properties["Region"].Value, (string)c.Properties["AccessKeyId"].Value));
        Assert.Equal(_server.Url, c.Properties["ServerUrl"].Value);
        Assert.Equal(_server.Url, c.Properties["EndpointUrl"].Value);
        Assert.Null(c.Properties["Path"].Value);
        Assert.Null(c.Properties["TablePrefix"].Value);
        Assert.Equal($"Server {_server.Url.ToString().TrimEnd('/')} us-west-2", r.Output[1].BaseObject);
        Assert.Contains(writer.ToString().Split('\n'), l => l.StartsWith("Server ", StringComparison.Ordinal) && l.Contains("us-west-2") && l.Contains(_server.Url.ToString()));
        Assert.DoesNotContain(Secret, writer.ToString() + r.AllText);
    }

    [Fact]
    public void The_region_is_us_west_2_unless_given_and_signs_the_scope()
    {
        _answer = _ => new FakeResponse(200, """{"results":[]}""");
        Run("Get-CimaaMetricName").ThrowIfFailed();
        _region = "eu-west-1";
        Ps.Run("""
            $cred = [pscredential]::new($id, [System.Net.NetworkCredential]::new('', $secret).SecurePassword)
            Connect-Cimaa -ServerUrl $url -Credential $cred -Region eu-west-1
            Get-CimaaMetricName
            """, Vars).ThrowIfFailed();
        var requests = _server.Requests.ToList();
        Assert.Contains("/us-west-2/amondawa/aws4_request", requests[0].Header("Authorization"));
        Assert.Contains("/eu-west-1/amondawa/aws4_request", requests[1].Header("Authorization"));
        Assert.All(_signatures, s => Assert.Null(s));
    }

    [Fact]
    public void Refusals_and_failures_of_the_server_are_terminating_errors_with_its_message()
    {
        _answer = r => r.Method == "POST"
            ? new FakeResponse(403, """{"errors":["The access key may not write domain 'default'."]}""")
            : new FakeResponse(400, """{"errors":["prefix is not allowed"]}""");
        var denied = Run("Write-CimaaMetric cpu 1");
        Assert.Equal(["AccessDenied"], denied.ErrorIds);
        Assert.Equal("caught", Run("try { Write-CimaaMetric cpu 1; 'went on' } catch { 'caught' }").ThrowIfFailed().Output.Single().BaseObject);
        Assert.Equal(ErrorCategory.PermissionDenied, denied.SingleError.CategoryInfo.Category);
        Assert.EndsWith("refused the request (403): The access key may not write domain 'default'.", denied.SingleError.Exception.Message);
        var bad = Run("Get-CimaaMetricName");
        Assert.Equal(["ServerError"], bad.ErrorIds);
        Assert.EndsWith("answered 400: prefix is not allowed", bad.SingleError.Exception.Message);
        var domain = Run("Write-CimaaMetric cpu 1 -Domain 'two words'");
        Assert.Equal(["InvalidMetric"], domain.ErrorIds);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public void A_bad_server_URL_is_InvalidConnection_and_shows_no_password()
    {
        var r = Ps.Run("""
            $cred = [pscredential]::new($id, [System.Net.NetworkCredential]::new('', $secret).SecurePassword)
            Connect-Cimaa -ServerUrl 'http://user:hunter2@127.0.0.1:1/' -Credential $cred
            """, Vars);
        Assert.Equal(["InvalidConnection"], r.ErrorIds);
        Assert.DoesNotContain("hunter2", r.AllText);
    }

    [Fact]
    public void The_secret_appears_in_no_stream_of_a_Server_connection()
    {
        _answer = r => r.RawPath.EndsWith("/metricnames", StringComparison.Ordinal) ? new FakeResponse(403, """{"errors":["The signature does not match."]}""")
            : r.Method == "POST" && r.RawPath == "/api/v1/default/datapoints" ? new FakeResponse(204) : new FakeResponse(200, Answer(r));
        Uri gone;
        using (var closed = new FakeHttpServer(_ => new FakeResponse(204))) gone = closed.Url;
        var vars = Vars;
        vars["gone"] = gone.ToString();
        var r = Ps.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $ProgressPreference = 'Continue'
            $cred = [pscredential]::new($id, [System.Net.NetworkCredential]::new('', $secret).SecurePassword)
            Connect-Cimaa -ServerUrl $url -Credential $cred -Verbose -Debug
            Get-CimaaConnection
            (Get-CimaaConnection).PSObject.Properties.ForEach({ "$($_.Name)=$($_.Value)" })
            Write-CimaaMetric cpu 1.5 -Tags @{ host = 'web1' } -PassThru -Verbose -Debug
            Get-CimaaMetric cpu -Start -1h -Verbose -Debug
            Get-CimaaMetricTag cpu -Verbose -Debug
            Get-CimaaMetricName -Verbose -Debug
            Get-CimaaFault -Verbose -Debug
            Connect-Cimaa -ServerUrl $gone -Credential $cred -Verbose -Debug
            Get-CimaaMetricName -Verbose -Debug
            """, vars);
        Assert.Equal(["AccessDenied", "NotSupportedByConnection", "ServerUnavailable"], r.ErrorIds);
        Assert.NotEmpty(r.Verbose);
        Assert.NotEmpty(r.Debug);
        Assert.True(r.Output.Count > 5, r.AllText);
        Assert.DoesNotContain(Secret, r.AllText);
        Assert.DoesNotContain(Secret[..12], r.AllText);
        foreach (var e in r.Errors.Concat(r.Terminating is null ? [] : [r.Terminating.ErrorRecord]))
        {
            for (Exception? x = e.Exception; x is not null; x = x.InnerException) Assert.DoesNotContain(Secret, x.ToString());
        }
    }

    private static List<List<PSObject>> Split(IEnumerable<PSObject> output)
    {
        var parts = new List<List<PSObject>> { new() };
        foreach (var o in output)
        {
            if (o.BaseObject is "---") parts.Add([]);
            else parts[^1].Add(o);
        }
        return parts;
    }
}
