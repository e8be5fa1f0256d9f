using System.Collections.Specialized;
using System.Text;
using Cimaa.AccessKeys;
using Cimaa.Kairos;
using Cimaa.Metrics;
using Cimaa.Storage;
using Cimaa.Storage.Http;
using Cimaa.Testing;

namespace Cimaa.Core.Tests.Http;

/// <summary>
/// The module's client of the metrics server, against a fake server on 127.0.0.1 that checks each signature with
/// <see cref="SigV4Verifier"/> (and an independent SigV4 check), records the request and answers with canned KairosDB JSON.
/// </summary>
public sealed class ServerMetricClientTests : IDisposable
{
    private const string KeyId = "AKIDCLIENT0000000001";
    private const string Secret = "cLiEnTsEcReT/0123456789+abcdefghijklmnop";
    private const string Region = "us-west-2";

    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
    private readonly RecordingLog _log = new();
    private readonly FakeHttpServer _server;
    private readonly List<AuthOutcome> _outcomes = [];
    private readonly List<string> _independent = [];
    private readonly Dictionary<string, AccessKeyRecord> _keys = new()
    {
        [KeyId] = new(KeyId, Secret, PermissionSet.Parse(["*:rw"]), AccessKeyState.Active),
    };
    private TimeProvider _serverClock;
    private Func<RecordedRequest, FakeResponse> _answer = _ => new FakeResponse(204);

    public ServerMetricClientTests()
    {
        _serverClock = _clock;
        _server = new FakeHttpServer(Handle);
    }

    public void Dispose() => _server.Dispose();

    private OpContext Op => _log.Context;

    /// <summary>As the server does: 401/403 with <c>{"errors":[reason]}</c> unless the signature is good, then the canned answer.</summary>
    private FakeResponse Handle(RecordedRequest r)
    {
        var outcome = new SigV4Verifier(Region, id => _keys.GetValueOrDefault(id), _serverClock)
            .Verify(new SignedRequest(r.Method, r.RawPath, r.RawQuery, r.Headers, SigV4.PayloadHash(r.Body)));
        lock (_outcomes)
        {
            _outcomes.Add(outcome);
            if (outcome is AuthOutcome.Ok) _independent.Add(IndependentSigV4.Check(r, KeyId, Secret, Region) ?? "ok");
        }
        return outcome switch
        {
            AuthOutcome.Ok => _answer(r),
            AuthOutcome.Unauthenticated u => new FakeResponse(401, Encoding.UTF8.GetString(KairosJson.Errors([u.Reason]))),
            AuthOutcome.Forbidden f => new FakeResponse(403, Encoding.UTF8.GetString(KairosJson.Errors([f.Reason]))),
            _ => new FakeResponse(500),
        };
    }

    private ServerMetricClient Client(string secret = Secret, Uri? url = null) => new(new ConnectionSettings
    {
        Kind = StoreKind.Server,
        ServerUrl = url ?? _server.Url,
        Region = Region,
        AccessKeyId = KeyId,
        SecretAccessKey = secret,
        Clock = _clock,
        RequestTimeout = TimeSpan.FromSeconds(20),
    });

    private List<RecordedRequest> Requests => _server.Requests.ToList();

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private List<ValidMetric> Points(params (string Name, long Ms, object Value, (string, string)[] Tags, string? Domain)[] points) =>
        MetricValidation.Validate(points.Select(p => new MetricInput(p.Name, p.Value,
            p.Tags.Select(t => new KeyValuePair<object?, object?>(t.Item1, t.Item2)).ToList(), At(p.Ms), p.Domain)), _clock.GetUtcNow());

    private void AllSigned()
    {
        Assert.NotEmpty(_outcomes);
        Assert.All(_outcomes, o => Assert.IsType<AuthOutcome.Ok>(o));
        Assert.All(_independent, c => Assert.Equal("ok", c));
    }

    [Fact]
    public async Task Write_posts_the_points_of_each_stream_as_KairosDB_datapoints_signed_the_standard_way()
    {
        using var client = Client();
        var written = await client.WriteAsync(Points(
            ("cpu", 1000, 1.5m, [("host", "web1")], null),
            ("mem", 1000, "up", [], null),
            ("cpu", 2000, 2, [("host", "web1")], null)), Op);

        var r = Assert.Single(Requests);
        Assert.Equal(("POST", "/api/v1/default/datapoints", (string?)null), (r.Method, r.RawPath, r.RawQuery));
        Assert.Equal("""[{"name":"cpu","tags":{"host":"web1"},"datapoints":[[1000,1.5],[2000,2]]},{"name":"mem","tags":{},"datapoints":[[1000,"up"]]}]""",
            r.BodyText);
        Assert.Equal("application/json", r.Header("Content-Type"));
        Assert.Equal(_server.Url.Authority, r.Header("Host"));
        Assert.Equal(SigV4.PayloadHash(r.Body), r.Header("X-Amz-Content-Sha256"));
        Assert.Equal("20270115T080000Z", r.Header("X-Amz-Date"));
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={KeyId}/20270115/us-west-2/amondawa/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=",
            r.Header("Authorization"));
        AllSigned();
        Assert.Equal([1.5m, (object)"up", 2m], written.Select(p => p.Value));
        Assert.Equal(1, client.Requests["WriteDatapoints"]);
        var parsed = KairosWriteParser.Parse(r.Body, "default", _clock.GetUtcNow());
        Assert.Equal(3, parsed.Value!.Count);
    }

    [Fact]
    public async Task Write_sends_one_request_per_domain_and_splits_large_writes()
    {
        using var client = Client();
        var many = Enumerable.Range(0, ServerMetricClient.MaxPointsPerBody + 1).Select(i => ("n", 1000L + i, (object)i, Array.Empty<(string, string)>(), (string?)"big.domain"));
        await client.WriteAsync(Points([("a", 1, 1, [], "one"), .. many, ("b", 1, 2, [], "one")]), Op);
        var requests = Requests;
        Assert.Equal(["/api/v1/one/datapoints", "/api/v1/big.domain/datapoints", "/api/v1/big.domain/datapoints"], requests.Select(r => r.RawPath));
        Assert.Equal("""[{"name":"a","tags":{},"datapoints":[[1,1]]},{"name":"b","tags":{},"datapoints":[[1,2]]}]""", requests[0].BodyText);
        Assert.Equal([ServerMetricClient.MaxPointsPerBody, 1],
            requests.Skip(1).Select(r => KairosWriteParser.Parse(r.Body, "big.domain", _clock.GetUtcNow()).Value!.Count));
        AllSigned();
    }

    [Fact]
    public async Task A_domain_the_server_cannot_name_is_InvalidMetric_before_any_request()
    {
        using var client = Client();
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.WriteAsync(Points(("a", 1, 1, [], "ok"), ("a", 1, 1, [], "not ok")), Op));
        Assert.Equal((ErrorIds.InvalidMetric, (object?)"not ok"), (e.ErrorId, e.Target));
        Assert.Empty(Requests);
    }

    [Fact]
    public async Task A_raw_query_groups_by_every_tag_key_so_that_each_result_is_one_stream()
    {
        _answer = r => r.RawPath.EndsWith("/tags", StringComparison.Ordinal)
            ? new FakeResponse(200, """{"queries":[{"results":[{"name":"cpu","tags":{"dc":["x"],"host":["web1","web2"]},"values":[]}]},{"results":[{"name":"mem","tags":{},"values":[]}]}]}""")
            : new FakeResponse(200, """{"queries":[{"results":[""" +
                """{"name":"cpu","group_by":[{"name":"type","type":"number"},{"name":"tag","tags":["dc","host"],"group":{"dc":"","host":"web2"}}],"tags":{"host":["web2"]},"values":[[1500,3]]},""" +
                """{"name":"cpu","group_by":[{"name":"type","type":"number"},{"name":"tag","tags":["dc","host"],"group":{"dc":"x","host":"web1"}}],"tags":{"dc":["x"],"host":["web1"]},"values":[[1000,1.5],[2000,"s"],[3000,{"k":[1,"v"]}]]}""" +
                """],"sample_size":4},{"results":[{"name":"mem","tags":{},"values":[]}],"sample_size":0}]}""");
        using var client = Client();
        var query = new MetricQuery(["cpu", "mem", "cpu"], At(500), At(5000), "default", new Dictionary<string, string[]> { ["host"] = ["web1", "web2"] });
        var points = await client.QueryAsync(query, Op).ToListAsync();

        var requests = Requests;
        Assert.Equal(["/api/v1/default/datapoints/query/tags", "/api/v1/default/datapoints/query"], requests.Select(r => r.RawPath));
        Assert.Equal("""{"start_absolute":500,"end_absolute":5000,"metrics":[{"name":"cpu","tags":{"host":["web1","web2"]}},{"name":"mem","tags":{"host":["web1","web2"]}}]}""",
            requests[0].BodyText);
        Assert.Equal("""{"start_absolute":500,"end_absolute":5000,"metrics":[{"name":"cpu","tags":{"host":["web1","web2"]},"group_by":[{"name":"tag","tags":["dc","host"]}]},{"name":"mem","tags":{"host":["web1","web2"]}}]}""",
            requests[1].BodyText);
        AllSigned();
        Assert.Equal(["cpu host=web2 1500 3", "cpu dc=x;host=web1 1000 1.5", "cpu dc=x;host=web1 2000 s", "cpu dc=x;host=web1 3000 k=1,v"],
            points.Select(p => $"{p.Name} {Tags(p.Tags)} {p.Timestamp.ToUnixTimeMilliseconds()} {Value(p.Value)}"));
        Assert.All(points, p => Assert.Equal("default", p.Domain));
        Assert.IsType<decimal>(points[0].Value);
        Assert.IsType<string>(points[0].Tags["host"]);
        Assert.NotSame(points[1].Tags, points[2].Tags);
    }

    [Fact]
    public async Task An_aggregated_query_is_one_request_with_Amondawas_downsample_and_aggregate_and_keeps_the_tag_values()
    {
        _answer = _ => new FakeResponse(200, """{"queries":[{"results":[{"name":"cpu","group_by":[{"name":"type","type":"number"}],"tags":{"host":["a","b"]},"values":[[0,3],[300000,4.25]]}],"sample_size":9}]}""");
        using var client = Client();
        var query = new MetricQuery(["cpu"], At(0), At(600_000), "web", null, TimeSpan.FromMinutes(5), DownsampleFunction.Max, AggregateFunction.Sum);
        var points = await client.QueryAsync(query, Op).ToListAsync();
        var r = Assert.Single(Requests);
        Assert.Equal("/api/v1/web/datapoints/query", r.RawPath);
        Assert.Equal("""{"start_absolute":0,"end_absolute":600000,"metrics":[{"name":"cpu","downsample":{"name":"max","sampling":{"value":300000,"unit":"milliseconds"}},"aggregate":"sum"}]}""",
            r.BodyText);
        Assert.Equal(["0 3 host=a,b", "300000 4.25 host=a,b"], points.Select(p => $"{p.Timestamp.ToUnixTimeMilliseconds()} {Value(p.Value)} {Tags(p.Tags)}"));
        Assert.IsType<string[]>(points[0].Tags["host"]);
        AllSigned();
    }

    [Fact]
    public async Task Metric_names_are_a_signed_GET_with_an_empty_payload_and_come_back_sorted()
    {
        _answer = _ => new FakeResponse(200, """{"results":["mem","cpu","Cpu"]}""");
        using var client = Client(url: new Uri(_server.Url, "/cimaa/"));
        var names = await client.GetNamesAsync("web", Op).ToListAsync();
        var r = Assert.Single(Requests);
        Assert.Equal(("GET", "/cimaa/api/v1/web/metricnames", 0), (r.Method, r.RawPath, r.Body.Length));
        Assert.Equal(SigV4.EmptyPayloadHash, r.Header("X-Amz-Content-Sha256"));
        Assert.Equal(["Cpu", "cpu", "mem"], names);
        AllSigned();
    }

    [Fact]
    public async Task Metric_tags_list_each_key_with_its_values_over_all_time()
    {
        _answer = _ => new FakeResponse(200, """{"queries":[{"results":[{"name":"cpu","tags":{"host":["b","a"],"dc":["x"]},"values":[]}]}]}""");
        using var client = Client();
        var tags = await client.GetTagsAsync("cpu", null, Op).ToListAsync();
        var r = Assert.Single(Requests);
        Assert.Equal("/api/v1/default/datapoints/query/tags", r.RawPath);
        Assert.Equal("""{"start_absolute":0,"end_absolute":253402300799999,"metrics":[{"name":"cpu"}]}""", r.BodyText);
        Assert.Equal(["default cpu dc=x", "default cpu host=a,b"], tags.Select(t => $"{t.Domain} {t.Name} {t.Key}={string.Join(",", t.Values)}"));
    }

    [Fact]
    public async Task A_400_is_ServerError_with_the_servers_messages()
    {
        _answer = _ => new FakeResponse(400, """{"errors":["metric[0].name may not be empty","metric[1].timestamp is required with value"]}""");
        using var client = Client();
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.WriteAsync(Points(("a", 1, 1, [], null)), Op));
        Assert.Equal((ServerErrorIds.ServerError, CimaaErrorCategory.InvalidArgument), (e.ErrorId, e.Category));
        Assert.Equal($"The server at {ServerSettings.UrlText(_server.Url)} answered 400: metric[0].name may not be empty; metric[1].timestamp is required with value",
            e.Message);
    }

    [Fact]
    public async Task A_wrong_secret_is_AccessDenied_with_the_servers_reason()
    {
        using var client = Client(secret: "not-the-secret-0123456789abcdefghijklmn");
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.GetNamesAsync(null, Op).ToListAsync());
        Assert.Equal((ServerErrorIds.AccessDenied, CimaaErrorCategory.PermissionDenied), (e.ErrorId, e.Category));
        Assert.EndsWith("refused the request (403): The signature does not match.", e.Message);
        Assert.IsType<AuthOutcome.Forbidden>(Assert.Single(_outcomes));
    }

    [Fact]
    public async Task Requests_are_signed_at_the_connections_clock_so_a_skewed_clock_is_refused()
    {
        _serverClock = new ManualClock(_clock.GetUtcNow() + TimeSpan.FromMinutes(16));
        using var client = Client();
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.GetNamesAsync(null, Op).ToListAsync());
        Assert.Equal(ServerErrorIds.AccessDenied, e.ErrorId);
        Assert.Contains("more than 15 minutes", e.Message);
        _serverClock = new ManualClock(_clock.GetUtcNow() + TimeSpan.FromMinutes(14));
        _answer = _ => new FakeResponse(200, """{"results":[]}""");
        Assert.Empty(await client.GetNamesAsync(null, Op).ToListAsync());
    }

    [Fact]
    public async Task A_missing_permission_is_AccessDenied_and_an_unknown_key_too()
    {
        _answer = _ => new FakeResponse(403, """{"errors":["The access key may not write domain 'default'."]}""");
        using var client = Client();
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.WriteAsync(Points(("a", 1, 1, [], null)), Op));
        Assert.Equal(ServerErrorIds.AccessDenied, e.ErrorId);
        Assert.EndsWith("(403): The access key may not write domain 'default'.", e.Message);
        _keys.Clear();
        e = await Assert.ThrowsAsync<CimaaException>(() => client.WriteAsync(Points(("a", 1, 1, [], null)), Op));
        Assert.EndsWith("(403): The access key is not known.", e.Message);
    }

    [Fact]
    public async Task A_failure_without_KairosDB_errors_names_the_status_and_a_broken_answer_is_ServerError()
    {
        _answer = _ => new FakeResponse(502, "<html>bad gateway</html>", "text/html");
        using var client = Client();
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.WriteAsync(Points(("a", 1, 1, [], null)), Op));
        Assert.Equal((ServerErrorIds.ServerError, CimaaErrorCategory.ResourceUnavailable), (e.ErrorId, e.Category));
        Assert.EndsWith("answered 502 (Bad Gateway)", e.Message);

        _answer = _ => new FakeResponse(200, """{"queries":[{"results":[{"name":"cpu","values":[[1,""");
        e = await Assert.ThrowsAsync<CimaaException>(() => client.QueryAsync(new MetricQuery(["cpu"], At(0), At(1), Aggregate: AggregateFunction.Avg), Op).ToListAsync());
        Assert.Equal((ServerErrorIds.ServerError, CimaaErrorCategory.InvalidData), (e.ErrorId, e.Category));
        Assert.Contains("is not KairosDB JSON", e.Message);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_ServerUnavailable()
    {
        Uri gone;
        using (var closed = new FakeHttpServer(_ => new FakeResponse(204))) gone = closed.Url;
        using var client = Client(url: gone);
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.GetNamesAsync(null, Op).ToListAsync());
        Assert.Equal((ServerErrorIds.ServerUnavailable, CimaaErrorCategory.ConnectionError), (e.ErrorId, e.Category));
        Assert.Equal($"cannot reach the server at {ServerSettings.UrlText(gone)} (connection refused)", e.Message);
    }

    [Fact]
    public async Task The_secret_is_in_no_message_log_line_or_error()
    {
        var failures = new List<Exception>();
        using (var wrong = Client(secret: Secret[..20] + "XXXXXXXXXXXXXXXXXXXX"))
        {
            failures.Add(await Assert.ThrowsAsync<CimaaException>(() => wrong.WriteAsync(Points(("a", 1, 1, [], null)), Op)));
        }
        using var client = Client();
        await client.WriteAsync(Points(("a", 1, 1, [], null)), Op);
        _answer = _ => new FakeResponse(400, """{"errors":["no"]}""");
        failures.Add(await Assert.ThrowsAsync<CimaaException>(() => client.GetNamesAsync(null, Op).ToListAsync()));
        Assert.NotEmpty(_log.Debugs);
        Assert.NotEmpty(_log.Verbose);
        var all = string.Join("\n", _log.Debugs.Concat(_log.Verbose).Concat(_log.Warnings).Concat(failures.Select(f => f.ToString())));
        Assert.DoesNotContain(Secret, all);
        Assert.DoesNotContain(Secret[..12], all);
    }

    [Fact]
    public void A_server_URL_with_user_info_or_no_key_is_InvalidConnection()
    {
        var bad = new[]
        {
            new ConnectionSettings { Kind = StoreKind.Server, ServerUrl = new Uri("http://u:p@127.0.0.1:1/"), Region = Region, AccessKeyId = KeyId, SecretAccessKey = Secret },
            new ConnectionSettings { Kind = StoreKind.Server, ServerUrl = new Uri("ftp://127.0.0.1/"), Region = Region, AccessKeyId = KeyId, SecretAccessKey = Secret },
            new ConnectionSettings { Kind = StoreKind.Server, ServerUrl = new Uri("http://127.0.0.1/?x=1"), Region = Region, AccessKeyId = KeyId, SecretAccessKey = Secret },
            new ConnectionSettings { Kind = StoreKind.Server, ServerUrl = new Uri("http://127.0.0.1/"), Region = Region, AccessKeyId = KeyId },
        };
        foreach (var s in bad)
        {
            var e = Assert.Throws<CimaaException>(() => s.Validate());
            Assert.Equal(ErrorIds.InvalidConnection, e.ErrorId);
            Assert.DoesNotContain(":p@", e.Message);
        }
    }

    [Fact]
    public async Task A_Server_client_has_the_metrics_through_the_server_and_no_store()
    {
        var settings = new ConnectionSettings
        {
            Kind = StoreKind.Server, ServerUrl = new Uri("http://127.0.0.1:1/"), Region = Region, AccessKeyId = KeyId, SecretAccessKey = Secret,
        }.Validate();
        await using var client = StoreFactory.Open(settings);
        Assert.IsType<ServerMetricClient>(client.Metrics);
        Assert.Same(((ServerMetricClient)client.Metrics).Requests, client.Requests);
        var refused = new Func<object>[] { () => client.Faults, () => client.Agents, () => client.Squelches, () => client.Config, () => client.AccessKeys,
            () => client.Deploy, () => client.Meta, () => client.Tables, () => client.Stores, () => StoreFactory.OpenStores(settings) };
        foreach (var get in refused)
        {
            var e = Assert.Throws<CimaaException>(get);
            Assert.Equal(ServerErrorIds.NotSupportedByConnection, e.ErrorId);
            Assert.DoesNotContain(Secret, e.Message);
        }
        Assert.Equal(0, client.Requests.Total);
    }

    private static string Tags(OrderedDictionary tags) =>
        string.Join(";", tags.Keys.Cast<string>().Select(k => $"{k}={(tags[k] is string[] a ? string.Join(",", a) : tags[k])}"));

    private static string Value(object? v) => v switch
    {
        decimal d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
        OrderedDictionary o => string.Join(";", o.Keys.Cast<string>().Select(k => $"{k}={(o[k] is object[] a ? string.Join(",", a) : o[k])}")),
        _ => v?.ToString() ?? "null",
    };
}
