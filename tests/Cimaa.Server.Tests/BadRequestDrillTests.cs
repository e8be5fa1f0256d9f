using System.IO.Compression;
using System.Net;
using System.Text;

namespace Cimaa.Server.Tests;

/// <summary>
/// The bad-request drill: each bad request is a 4xx with <c>{"errors":[..]}</c>, and the store, read back through Core and
/// through the server, holds nothing afterwards. Bad write bodies carry a good point too, to show that a body is all or nothing.
/// </summary>
public abstract class BadRequestDrillTests(ServerFixture server)
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private static string Good => $$"""{"name":"drill.good","tags":{"host":"a"},"timestamp":{{Now - 1000}},"value":1}""";

    private Task<HttpResponseMessage> Post(string body, string path = "/api/v1/open/datapoints") => server.PostAsync(path, body);

    private Task<HttpResponseMessage> Post(byte[] body, string? encoding = null, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new UnknownLengthStream(body)) : new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        if (encoding is not null) content.Headers.ContentEncoding.Add(encoding);
        return server.Http.PostAsync("/api/v1/open/datapoints", content);
    }

    private async Task Refused(Task<HttpResponseMessage> call, HttpStatusCode status, string expected)
    {
        using var response = await call;
        var errors = await Api.ErrorsAsync(response, status);
        Assert.Contains(expected, string.Join("\n", errors));
        await NothingWritten();
    }

    private async Task NothingWritten()
    {
        Assert.Empty(await server.StoredNamesAsync("open"));
        using var names = await server.Http.GetAsync("/api/v1/open/metricnames");
        Assert.Equal("""{"results":[]}""", await names.Content.ReadAsStringAsync());
    }

    [Fact]
    public Task Malformed_body() => Refused(Post($"[{Good},{{\"name\":"), HttpStatusCode.BadRequest, "not valid JSON");

    [Fact]
    public Task Empty_body() => Refused(Post(""), HttpStatusCode.BadRequest, "empty");

    [Fact]
    public async Task Wrong_types()
    {
        await Refused(Post($$"""[{{Good}},{"name":"drill.bad","timestamp":"soon","value":1}]"""), HttpStatusCode.BadRequest, "metric[1].timestamp");
        await Refused(Post($$"""[{{Good}},{"name":"drill.bad","tags":["a"],"timestamp":1,"value":1}]"""), HttpStatusCode.BadRequest, "metric[1].tags");
        await Refused(Post($$"""[{{Good}},{"name":42,"timestamp":1,"value":1}]"""), HttpStatusCode.BadRequest, "metric[1].name");
        await Refused(Post($$"""[{{Good}},{"name":"drill.bad","timestamp":{{Now}},"value":1e400}]"""), HttpStatusCode.BadRequest, "metric[1]");
    }

    [Fact]
    public Task Empty_name() =>
        Refused(Post($$"""[{{Good}},{"name":"","timestamp":{{Now}},"value":1}]"""), HttpStatusCode.BadRequest, "metric[1].name may not be empty");

    [Fact]
    public Task Too_many_tags()
    {
        var tags = string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"k{i}\":\"v\""));
        return Refused(Post($$"""[{{Good}},{"name":"drill.bad","tags":{ {{tags}} },"timestamp":{{Now}},"value":1}]"""),
            HttpStatusCode.BadRequest, "21 tags");
    }

    [Fact]
    public Task Too_many_points()
    {
        var points = string.Join(",", Enumerable.Range(0, ServerFixture.MaxPoints + 1).Select(i => $"[{Now - 10_000 + i},{i}]"));
        return Refused(Post($$"""[{"name":"drill.good","datapoints":[{{points}}]}]"""), HttpStatusCode.BadRequest,
            $"more than {ServerFixture.MaxPoints} points");
    }

    [Fact]
    public async Task Body_over_the_limit_with_and_without_a_length()
    {
        var body = Encoding.UTF8.GetBytes("[" + Good + "]" + new string(' ', (int)ServerFixture.MaxBodyBytes));
        await Refused(Post(body), HttpStatusCode.RequestEntityTooLarge, "over the limit");
        await Refused(Post(body, chunked: true), HttpStatusCode.RequestEntityTooLarge, "over the limit");
    }

    [Fact]
    public async Task Gzip_bomb_and_broken_gzip()
    {
        // 64 MB of JSON whitespace after a good point: about 64 KB compressed, far over the 1 MB limit once decompressed.
        var bomb = Gzip("[" + Good + new string(' ', 64 * 1024 * 1024) + "]");
        Assert.True(bomb.Length < ServerFixture.MaxBodyBytes);
        await Refused(Post(bomb, "gzip"), HttpStatusCode.RequestEntityTooLarge, "once decompressed");
        await Refused(Post(Encoding.UTF8.GetBytes("[" + Good + "]"), "gzip"), HttpStatusCode.BadRequest, "not valid gzip");
        await Refused(Post(Gzip("[" + Good + "]"), "br"), HttpStatusCode.UnsupportedMediaType, "Content-Encoding");
    }

    [Fact]
    public Task A_point_far_in_the_future()
    {
        var later = Now + (long)TimeSpan.FromDays(2).TotalMilliseconds;
        return Refused(Post($$"""[{{Good}},{"name":"drill.bad","timestamp":{{later}},"value":1}]"""), HttpStatusCode.BadRequest,
            "ahead of the server's clock");
    }

    [Theory]
    [InlineData("/api/v1/bad!dom/datapoints")]
    [InlineData("/api/v1/a%7Cb/datapoints")]
    [InlineData("/api/v1/%20/datapoints")]
    [InlineData("/api/v1/a2345678901234567890123456789012345678901234567890123456789012345/datapoints")]
    public Task A_bad_domain(string path) => Refused(Post($"[{Good}]", path), HttpStatusCode.BadRequest, "is not a domain name");

    [Theory]
    [InlineData("""{"start_relative":{"value":1,"unit":"hours"},"metrics":[{"name":"m","aggregators":[{"name":"median"}]}]}""", "is not a known aggregator")]
    [InlineData("""{"start_relative":{"value":1,"unit":"fortnights"},"metrics":[{"name":"m"}]}""", "is not a known unit")]
    [InlineData("""{"start_relative":{"value":1,"unit":"hours"},"metrics":[{"name":"m","aggregators":[{"name":"avg","sampling":{"value":1,"unit":"eons"}}]}]}""", "is not a known unit")]
    [InlineData("""{"start_absolute":2000,"end_absolute":1000,"metrics":[{"name":"m"}]}""", "is after the end time")]
    [InlineData("""{"start_absolute":1000,"metrics":[{"name":""}]}""", "metrics[0].name may not be empty")]
    [InlineData("""{"start_absolute":1000,"metrics":[{"name":"m"}""", "not valid JSON")]
    [InlineData("""{"metrics":[{"name":"m"}]}""", "start_absolute or start_relative is required")]
    public async Task Bad_queries(string query, string expected)
    {
        await Refused(Post(query, "/api/v1/open/datapoints/query"), HttpStatusCode.BadRequest, expected);
        await Refused(server.Http.GetAsync("/api/v1/open/datapoints/query?query=" + Uri.EscapeDataString(query)), HttpStatusCode.BadRequest, expected);
        await Refused(Post(query, "/api/v1/open/datapoints/query/tags"), HttpStatusCode.BadRequest, expected);
    }

    [Fact]
    public Task A_query_by_GET_needs_the_query_parameter() =>
        Refused(server.Http.GetAsync("/api/v1/open/datapoints/query"), HttpStatusCode.BadRequest, "?query=");

    internal static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    /// <summary>A body whose length the client does not know, so it is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

public sealed class SqliteBadRequestDrillTests(SqliteServer server) : BadRequestDrillTests(server), IClassFixture<SqliteServer>;

public sealed class DynamoBadRequestDrillTests(DynamoServer server) : BadRequestDrillTests(server), IClassFixture<DynamoServer>;
