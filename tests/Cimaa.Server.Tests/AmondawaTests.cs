using System.Net;

namespace Cimaa.Server.Tests;

/// <summary>Requests signed as Amondawa's own client signs them, and the domain permissions d:r, d:w, *:r and *:w both ways.</summary>
public abstract class AmondawaTests(ServerFixture server)
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private Task<(HttpStatusCode Status, string Body)> Write(string domain, TestKey key, string name) =>
        server.SendAsync(Signing.Amondawa(server.BaseUri, HttpMethod.Post, $"/api/v1/{domain}/datapoints",
            Api.Utf8($$"""[{"name":"{{name}}","tags":{"k":"v"},"timestamp":{{Now - 5000}},"value":1}]"""), key, DateTimeOffset.UtcNow));

    private Task<(HttpStatusCode Status, string Body)> Read(string domain, TestKey key) =>
        server.SendAsync(Signing.Amondawa(server.BaseUri, HttpMethod.Get, $"/api/v1/{domain}/metricnames", null, key, DateTimeOffset.UtcNow));

    [Fact]
    public async Task Amondawa_signed_writes_and_queries_are_accepted()
    {
        var (status, body) = await Write("amon", TestKeys.All, "amondawa.cpu");
        Assert.True(status == HttpStatusCode.NoContent, body);
        var query = Api.Utf8("""{"start_relative":{"value":1,"unit":"hours"},"metrics":[{"name":"amondawa.cpu"}]}""");
        var (qs, qb) = await server.SendAsync(Signing.Amondawa(server.BaseUri, HttpMethod.Post, "/api/v1/amon/datapoints/query", query,
            TestKeys.All, DateTimeOffset.UtcNow));
        Assert.True(qs == HttpStatusCode.OK, qb);
        Assert.Contains("\"sample_size\":1", qb);
    }

    [Fact]
    public async Task In_Amondawas_form_the_query_string_is_not_signed_but_the_path_is()
    {
        var at = DateTimeOffset.UtcNow;
        var request = Signing.Amondawa(server.BaseUri, HttpMethod.Get, "/api/v1/amon/metricnames", null, TestKeys.All, at, rawQuery: "prefix=zzz");
        var (status, body) = await server.SendAsync(request);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("""{"results":[]}""", body);

        var moved = Signing.Amondawa(server.BaseUri, HttpMethod.Get, "/api/v1/amon/metricnames", null, TestKeys.All, at);
        moved.RequestUri = new Uri(moved.RequestUri!.ToString().Replace("/amon/", "/amom/", StringComparison.Ordinal));
        var (ms, mb) = await server.SendAsync(moved);
        Assert.Equal(HttpStatusCode.Forbidden, ms);
        Assert.Equal("The signature does not match.", Api.Errors(mb)[0]);
    }

    [Fact]
    public async Task Domain_read_permission_allows_reading_that_domain_only()
    {
        Assert.Equal(HttpStatusCode.OK, (await Read("web", TestKeys.WebRead)).Status);
        await Refused(Write("web", TestKeys.WebRead, "perm.dr"), "may not write the domain 'web'");
        await Refused(Read("other", TestKeys.WebRead), "may not read the domain 'other'");
    }

    [Fact]
    public async Task Domain_write_permission_allows_writing_that_domain_only()
    {
        var (status, body) = await Write("web", TestKeys.WebWrite, "perm.dw");
        Assert.True(status == HttpStatusCode.NoContent, body);
        await Refused(Read("web", TestKeys.WebWrite), "may not read the domain 'web'");
        await Refused(Write("other", TestKeys.WebWrite, "perm.dw"), "may not write the domain 'other'");
        Assert.Contains("perm.dw", await server.StoredNamesAsync("web"));
        Assert.DoesNotContain("perm.dw", await server.StoredNamesAsync("other"));
    }

    [Fact]
    public async Task Any_domain_read_permission_allows_reading_every_domain_and_no_writes()
    {
        Assert.Equal(HttpStatusCode.OK, (await Read("web", TestKeys.AnyRead)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Read("other", TestKeys.AnyRead)).Status);
        await Refused(Write("web", TestKeys.AnyRead, "perm.ar"), "may not write the domain 'web'");
        Assert.DoesNotContain("perm.ar", await server.StoredNamesAsync("web"));
    }

    [Fact]
    public async Task Any_domain_write_permission_allows_writing_every_domain_and_no_reads()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Write("web", TestKeys.AnyWrite, "perm.aw")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Write("other", TestKeys.AnyWrite, "perm.aw")).Status);
        await Refused(Read("web", TestKeys.AnyWrite), "may not read the domain 'web'");
        await Refused(Read("other", TestKeys.AnyWrite), "may not read the domain 'other'");
    }

    private static async Task Refused(Task<(HttpStatusCode Status, string Body)> call, string reason)
    {
        var (status, body) = await call;
        Assert.True(status == HttpStatusCode.Forbidden, body);
        Assert.Contains(reason, Api.Errors(body)[0]);
    }
}

public sealed class SqliteAmondawaTests(SqliteServer server) : AmondawaTests(server), IClassFixture<SqliteServer>;

public sealed class DynamoAmondawaTests(DynamoServer server) : AmondawaTests(server), IClassFixture<DynamoServer>;
