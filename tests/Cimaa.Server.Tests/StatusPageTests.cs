using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cimaa.Report;
using Cimaa.Testing;

namespace Cimaa.Server.Tests;

/// <summary>GET / on both stores: who may read it (Basic with an access key, or an anonymous grant), its headers, and only GET.</summary>
public abstract class StatusPageTests(IStatusServer status)
{
    private readonly ServerFixture _server = status.Server;

    private static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));

    private static AuthenticationHeaderValue Basic(TestKey key) => Basic(key.Id, key.Secret);

    private async Task<HttpResponseMessage> GetAsync(string path = "/", AuthenticationHeaderValue? auth = null, HttpMethod? method = null)
    {
        await status.SeededAsync();
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Authorization = auth;
        return await _server.Http.SendAsync(request);
    }

    [Fact]
    public async Task Without_credentials_or_a_grant_it_is_401_asking_for_Basic()
    {
        using var response = await GetAsync();
        await Api.ErrorsAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Basic realm=\"Cimaa\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("web1", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("AKIDALL0000000000001", "wrong")]
    [InlineData("AKIDUNKNOWN000000001", "unknownSecretGGGGGGGGGGGGGGGGGGGGGGGGGG7")]
    [InlineData("AKIDALL0000000000001", "")]
    public async Task A_wrong_id_or_secret_is_401(string id, string secret)
    {
        using var response = await GetAsync(auth: Basic(id, secret));
        var errors = await Api.ErrorsAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(["The access key id or secret is wrong."], errors);
        Assert.StartsWith("Basic ", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Not_Basic_or_not_base64_is_401()
    {
        foreach (var auth in new[] { new AuthenticationHeaderValue("Bearer", "x"), new AuthenticationHeaderValue("Basic", "%%%"),
                     new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("no-colon"))) })
        {
            using var response = await GetAsync(auth: auth);
            await Api.ErrorsAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_key_without_status_r_or_an_inactive_key_is_403()
    {
        using var web = await GetAsync(auth: Basic(TestKeys.WebRead));
        Assert.Contains("status:r", (await Api.ErrorsAsync(web, HttpStatusCode.Forbidden))[0]);
        using var inactive = await GetAsync(auth: Basic(TestKeys.Inactive));
        Assert.Equal(["The access key is inactive."], await Api.ErrorsAsync(inactive, HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_key_with_status_r_gets_the_page_with_its_security_headers()
    {
        using var response = await GetAsync(auth: Basic(TestKeys.StatusRead));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(ReportAssets.ContentSecurityPolicy, csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains($"script-src 'sha256-{ReportAssets.ScriptHash}'", csp);
        Assert.DoesNotContain("unsafe-inline'; script", csp.Replace("style-src 'unsafe-inline'", ""));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal(html.Length, (int)response.Content.Headers.ContentLength!);
        // The agents, worst first, and the dashboard metrics' sparklines.
        var positions = ReportData.AgentOrder.Select(a => html.IndexOf($"data-agent=\"{WebUtility.HtmlEncode(a)}\"", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("data-metric=\"queue.depth\" data-series=\"\" data-points=\"20\"", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("<li class=\"lv-c\" data-level=\"Critical\"><b>3</b>Critical</li>", html);
    }

    [Fact]
    public async Task The_query_chooses_the_threshold_and_the_metrics_which_need_default_r()
    {
        using var stale = await GetAsync("/?stale=5400", Basic(TestKeys.StatusRead));
        var html = await stale.Content.ReadAsStringAsync();
        Assert.Contains("<h2>Stale agents (1, no heartbeat for 1h 30m)</h2>", html);
        using var denied = await GetAsync("/?metric=cpu.load", Basic(TestKeys.StatusRead));
        Assert.Contains("default:r", (await Api.ErrorsAsync(denied, HttpStatusCode.Forbidden))[0]);
        using var chosen = await GetAsync("/?metric=cpu.load&tags=host:web2", Basic(TestKeys.AnyRead));
        html = await chosen.Content.ReadAsStringAsync();
        Assert.Contains("data-metric=\"cpu.load{host=web2}\" data-series=\"host=web2\" data-points=\"5\"", html);
        Assert.DoesNotContain("queue.depth", html);
        using var bad = await GetAsync("/?stale=soon", Basic(TestKeys.AnyRead));
        Assert.Contains("stale=soon", (await Api.ErrorsAsync(bad, HttpStatusCode.BadRequest))[0]);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Only_GET_and_HEAD_other_methods_are_405(string method)
    {
        using var response = await GetAsync(auth: Basic(TestKeys.All), method: new HttpMethod(method));
        await Api.ErrorsAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task HEAD_has_the_headers_and_no_body()
    {
        using var response = await GetAsync(auth: Basic(TestKeys.All), method: HttpMethod.Head);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task The_request_log_names_the_key_and_never_the_secret()
    {
        using var response = await GetAsync(auth: Basic(TestKeys.StatusRead));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsByteArrayAsync();
        // A later request on the connection starts after the first one's log line.
        using var later = await GetAsync(auth: Basic(TestKeys.StatusRead), method: HttpMethod.Head);
        Assert.Contains(_server.Log.Requests, l => l.Contains("GET / 200 ") && l.EndsWith("key=" + TestKeys.StatusRead.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(_server.Log.Lines, l => l.Contains(TestKeys.StatusRead.Secret));
    }
}

/// <summary>An anonymous grant of status:r opens the page to unsigned requests; a wrong Basic key is still refused.</summary>
public abstract class OpenStatusPageTests(IStatusServer status)
{
    [Fact]
    public async Task Unsigned_requests_read_the_page_with_the_grant()
    {
        await status.SeededAsync();
        using var response = await status.Server.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-agent=\"web1\"", await response.Content.ReadAsStringAsync());
        var wrong = new HttpRequestMessage(HttpMethod.Get, "/");
        wrong.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("AKIDALL0000000000001:wrong")));
        using var refused = await status.Server.Http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}

public sealed class SqliteStatusPageTests(SqliteStatusServer server) : StatusPageTests(server), IClassFixture<SqliteStatusServer>;

public sealed class DynamoStatusPageTests(DynamoStatusServer server) : StatusPageTests(server), IClassFixture<DynamoStatusServer>;

public sealed class SqliteOpenStatusPageTests(SqliteOpenStatusServer server) : OpenStatusPageTests(server), IClassFixture<SqliteOpenStatusServer>;

public sealed class DynamoOpenStatusPageTests(DynamoOpenStatusServer server) : OpenStatusPageTests(server), IClassFixture<DynamoOpenStatusServer>;
