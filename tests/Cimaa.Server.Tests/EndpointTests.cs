using System.Net;
using Cimaa.Storage;

namespace Cimaa.Server.Tests;

/// <summary>version, health, metric and tag names, gzip writes, 404 and 405, on both paths of each.</summary>
public abstract class EndpointTests(ServerFixture server)
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("/api/v1/health/check")]
    [InlineData("/api/v1/open/health/check")]
    public async Task Health_check_is_204_with_no_body(string path)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Health_status_lists_the_checks()
    {
        using var response = await server.Http.GetAsync("/api/v1/health/status");
        Assert.Equal("""["Datastore-Query: OK"]""", (await Api.JsonAsync(response)).GetRawText());
    }

    [Fact]
    public async Task Version_names_the_product_and_its_version()
    {
        using var response = await server.Http.GetAsync("/api/v1/version");
        var version = (await Api.JsonAsync(response)).GetProperty("version").GetString()!;
        Assert.Matches(@"^Cimaa \d+\.\d+\.\d+$", version);
        Assert.Equal(typeof(ServerContext).Assembly.GetName().Version!.ToString(3), version["Cimaa ".Length..]);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v2/datapoints", HttpStatusCode.NotFound)]
    [InlineData("GET", "/index.html", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/v1/open/datapoints/nothing", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/api/v1/metricnames", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/api/v1/datapoints", HttpStatusCode.MethodNotAllowed)]
    public async Task Unknown_paths_and_methods_answer_with_errors(string method, string path, HttpStatusCode status)
    {
        using var response = await server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await Api.ErrorsAsync(response, status);
    }

    [Fact]
    public async Task Metric_names_with_a_prefix_tag_names_and_tag_values_of_a_domain()
    {
        var t = Now - 1000;
        var body = $$"""
            [{"name":"names.cpu","tags":{"host":"web1","dc":"east"},"timestamp":{{t}},"value":1},
             {"name":"names.disk","tags":{"host":"web2","mount":"/"},"timestamp":{{t}},"value":2},
             {"name":"other","timestamp":{{t}},"value":3}]
            """;
        var (status, _) = await server.SendAsync(Signing.AwsSdk(server.BaseUri, HttpMethod.Post, "/api/v1/names/datapoints", Api.Utf8(body), TestKeys.All));
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal("""{"results":["names.cpu","names.disk","other"]}""", await Text("/api/v1/names/metricnames"));
        Assert.Equal("""{"results":["names.cpu","names.disk"]}""", await Text("/api/v1/names/metricnames", ("prefix", "names.")));
        Assert.Equal("""{"results":["dc","host","mount"]}""", await Text("/api/v1/names/tagnames"));
        Assert.Equal("""{"results":["/","east","web1","web2"]}""", await Text("/api/v1/names/tagvalues"));
        Assert.Equal("""{"results":[]}""", await Text("/api/v1/metricnames", ("prefix", "names.")));
    }

    [Fact]
    public async Task A_gzip_body_within_the_limit_is_written()
    {
        var content = new ByteArrayContent(BadRequestDrillTests.Gzip($$"""[{"name":"gzipped","timestamp":{{Now - 1000}},"value":5}]"""));
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await server.Http.PostAsync("/api/v1/open/datapoints", content);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("gzipped", await server.StoredNamesAsync("open"));
    }

    private async Task<string> Text(string path, params (string, string)[] query)
    {
        using var response = await server.Http.SendAsync(Signing.AwsSdk(server.BaseUri, HttpMethod.Get, path, null, TestKeys.AnyRead, query));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

public sealed class SqliteEndpointTests(SqliteServer server) : EndpointTests(server), IClassFixture<SqliteServer>;

public sealed class DynamoEndpointTests(DynamoServer server) : EndpointTests(server), IClassFixture<DynamoServer>;

/// <summary>A store that does not answer: health/check is 503, health/status says FAIL, a write is 503 with errors.</summary>
public sealed class UnreachableStoreTests : IClassFixture<UnreachableStoreTests.DeadStoreServer>
{
    public sealed class DeadStoreServer : ServerFixture
    {
        protected override ConnectionSettings CreateSettings() => new()
        {
            Kind = StoreKind.DynamoDB,
            // A port nothing listens on: the connection is refused at once.
            EndpointUrl = new Uri($"http://127.0.0.1:{Cimaa.Testing.DynaliteServer.FreePort()}"),
            Region = "us-east-1",
            AccessKeyId = "AKIDDEAD",
            SecretAccessKey = "dead-secret",
            MaxReadAttempts = 1,
            MaxWriteAttempts = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            RetryMaxDelay = TimeSpan.FromMilliseconds(1),
        };

        protected override bool InitializeTables => false;
    }

    private readonly DeadStoreServer _server;

    public UnreachableStoreTests(DeadStoreServer server) => _server = server;

    [Fact]
    public async Task Health_check_is_503_and_status_says_fail()
    {
        using var check = await _server.Http.GetAsync("/api/v1/health/check");
        await Api.ErrorsAsync(check, HttpStatusCode.ServiceUnavailable);
        using var status = await _server.Http.GetAsync("/api/v1/health/status");
        Assert.Equal("""["Datastore-Query: FAIL"]""", (await Api.JsonAsync(status)).GetRawText());
    }

    [Fact]
    public async Task A_write_the_store_cannot_take_is_503_with_errors()
    {
        using var response = await _server.PostAsync("/api/v1/open/datapoints",
            $$"""[{"name":"lost","timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"value":1}]""");
        await Api.ErrorsAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains(_server.Log.Lines, l => l.Contains("Warning", StringComparison.Ordinal) && l.Contains("POST /api/v1/open/datapoints", StringComparison.Ordinal));
    }
}
