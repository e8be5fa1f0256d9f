using System.Net;

namespace Cimaa.Server.Tests;

/// <summary>The verifier end to end over HTTP: the AWS SDK's own AWS4 signer is accepted, and a changed byte is refused.</summary>
public abstract class SigningTests(ServerFixture server)
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string Point(string name, long ms, decimal value) =>
        $$"""[{"name":"{{name}}","tags":{"host":"a"},"timestamp":{{ms}},"value":{{value}}}]""";

    private static string Query(string name) => $$"""{"start_relative":{"value":1,"unit":"hours"},"metrics":[{"name":"{{name}}"}]}""";

    private HttpRequestMessage SdkQuery(string domainPath, string name, TestKey key) =>
        Signing.AwsSdk(server.BaseUri, HttpMethod.Get, $"/api/v1/{domainPath}datapoints/query", null, key, [("query", Query(name))]);

    [Theory]
    [InlineData("web/")]
    [InlineData("")]
    public async Task A_request_signed_by_the_AWS_SDK_signer_is_accepted_for_writes_and_queries(string domainPath)
    {
        var name = "sdk.ok." + domainPath.Trim('/');
        var t = Now - 60_000;
        var write = Signing.AwsSdk(server.BaseUri, HttpMethod.Post, $"/api/v1/{domainPath}datapoints", Api.Utf8(Point(name, t, 42)), TestKeys.All);
        var (status, body) = await server.SendAsync(write);
        Assert.True(status == HttpStatusCode.NoContent, body);

        using var response = await server.Http.SendAsync(SdkQuery(domainPath, name, TestKeys.All));
        var root = await Api.JsonAsync(response);
        Assert.Equal([(t, 42m)], Api.Values(Assert.Single(Api.Results(root))));
        Assert.Equal(1, root.GetProperty("queries")[0].GetProperty("sample_size").GetInt64());
    }

    [Fact]
    public async Task A_changed_byte_of_the_body_is_refused_and_nothing_is_written()
    {
        var body = Api.Utf8(Point("sdk.tampered.body", Now - 1000, 7));
        var request = Signing.AwsSdk(server.BaseUri, HttpMethod.Post, "/api/v1/web/datapoints", body, TestKeys.All);
        var changed = (byte[])body.Clone();
        changed[Array.LastIndexOf(changed, (byte)'7')] = (byte)'8';
        request.Content = new ByteArrayContent(changed);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var response = await server.Http.SendAsync(request);
        var errors = await Api.ErrorsAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("X-Amz-Content-Sha256", errors[0]);
        Assert.DoesNotContain("sdk.tampered.body", await server.StoredNamesAsync("web"));
    }

    [Fact]
    public async Task A_changed_byte_of_the_path_is_refused()
    {
        var request = SdkQuery("web/", "sdk.path", TestKeys.All);
        request.RequestUri = new Uri(request.RequestUri!.ToString().Replace("/web/", "/wec/", StringComparison.Ordinal));
        using var response = await server.Http.SendAsync(request);
        var errors = await Api.ErrorsAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("The signature does not match.", errors[0]);
    }

    [Fact]
    public async Task A_changed_byte_of_the_query_is_refused()
    {
        var request = SdkQuery("web/", "sdk.query", TestKeys.All);
        var uri = request.RequestUri!.ToString();
        request.RequestUri = new Uri(uri.Replace("sdk.query", "sdk.querz", StringComparison.Ordinal));
        Assert.NotEqual(uri, request.RequestUri.ToString());
        using var response = await server.Http.SendAsync(request);
        var errors = await Api.ErrorsAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("The signature does not match.", errors[0]);
    }

    [Fact]
    public async Task A_changed_byte_of_the_date_is_refused()
    {
        var request = SdkQuery("web/", "sdk.date", TestKeys.All);
        var date = request.Headers.GetValues("X-Amz-Date").Single();
        var last = date[^2];
        var changed = date[..^2] + (last == '0' ? '1' : '0') + "Z";
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", changed);
        using var response = await server.Http.SendAsync(request);
        var errors = await Api.ErrorsAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal("The signature does not match.", errors[0]);
    }

    [Theory]
    [InlineData(-14, HttpStatusCode.NoContent)]
    [InlineData(14, HttpStatusCode.NoContent)]
    [InlineData(-16, HttpStatusCode.Forbidden)]
    [InlineData(16, HttpStatusCode.Forbidden)]
    public async Task The_request_time_must_be_within_15_minutes_of_the_server_clock(int minutes, HttpStatusCode expected)
    {
        var request = Signing.Core(server.BaseUri, HttpMethod.Post, "/api/v1/web/datapoints", Api.Utf8(Point("skew", Now - 1000, 1)),
            TestKeys.All, DateTimeOffset.UtcNow.AddMinutes(minutes));
        var (status, body) = await server.SendAsync(request);
        Assert.True(status == expected, body);
        if (expected == HttpStatusCode.Forbidden) Assert.Contains("15 minutes", Api.Errors(body)[0]);
    }

    [Fact]
    public async Task Unknown_inactive_and_other_region_keys_are_refused_with_403_and_a_bad_header_with_401()
    {
        var body = Api.Utf8(Point("refused", Now - 1000, 1));
        foreach (var (key, region, reason) in new[]
                 {
                     (TestKeys.Unknown, Signing.Region, "not known"), (TestKeys.Inactive, Signing.Region, "inactive"),
                     (TestKeys.All, "eu-west-1", "region"),
                 })
        {
            var (status, text) = await server.SendAsync(Signing.AwsSdk(server.BaseUri, HttpMethod.Post, "/api/v1/web/datapoints", body, key, region: region));
            Assert.True(status == HttpStatusCode.Forbidden, text);
            Assert.Contains(reason, Api.Errors(text)[0]);
        }
        var garbage = Signing.Message(server.BaseUri.GetLeftPart(UriPartial.Authority), HttpMethod.Post, "/api/v1/web/datapoints", body,
            [("Authorization", "AWS4-HMAC-SHA256 Credential=nonsense"), ("X-Amz-Date", "20261130T000000Z")]);
        var (s2, t2) = await server.SendAsync(garbage);
        Assert.Equal(HttpStatusCode.Unauthorized, s2);
        Api.Errors(t2);
        Assert.DoesNotContain("refused", await server.StoredNamesAsync("web"));
    }

    [Fact]
    public async Task Unsigned_requests_get_the_anonymous_grant_only()
    {
        using (var ok = await server.PostAsync("/api/v1/open/datapoints", Point("anon", Now - 1000, 1)))
            Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        using var refused = await server.PostAsync("/api/v1/web/datapoints", Point("anon", Now - 1000, 1));
        var errors = await Api.ErrorsAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Contains("not signed", errors[0]);
        Assert.Equal("AWS4-HMAC-SHA256", refused.Headers.WwwAuthenticate.Single().Scheme);
        using var query = await server.Http.GetAsync("/api/v1/datapoints/query?query=" + Uri.EscapeDataString(Query("anon")));
        await Api.ErrorsAsync(query, HttpStatusCode.Unauthorized);
        Assert.Equal(["anon"], await server.StoredNamesAsync("open"));
        Assert.DoesNotContain("anon", await server.StoredNamesAsync("web"));
    }

    [Fact]
    public async Task The_request_log_names_method_path_status_and_key_but_never_a_secret_or_signature()
    {
        var request = Signing.AwsSdk(server.BaseUri, HttpMethod.Post, "/api/v1/web/datapoints", Api.Utf8(Point("logged", Now - 1000, 1)), TestKeys.All);
        var signature = request.Headers.GetValues("Authorization").Single().Split("Signature=")[1];
        Assert.Equal(64, signature.Length);
        var (status, _) = await server.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, status);
        var bad = Signing.AwsSdk(server.BaseUri, HttpMethod.Post, "/api/v1/web/datapoints", Api.Utf8("[]"), TestKeys.Inactive);
        var (badStatus, badBody) = await server.SendAsync(bad);
        Assert.Equal(HttpStatusCode.Forbidden, badStatus);

        Assert.Contains(server.Log.Requests, l => l.Contains("POST /api/v1/web/datapoints 204 ", StringComparison.Ordinal)
                                                 && l.EndsWith("key=" + TestKeys.All.Id, StringComparison.Ordinal));
        Assert.Contains(server.Log.Requests, l => l.Contains("POST /api/v1/web/datapoints 403 ", StringComparison.Ordinal)
                                                 && l.EndsWith("key=" + TestKeys.Inactive.Id, StringComparison.Ordinal));
        var everything = string.Join("\n", server.Log.Lines) + badBody;
        Assert.DoesNotContain(signature, everything);
        foreach (var secret in TestKeys.Secrets) Assert.DoesNotContain(secret, everything);
    }
}

public sealed class SqliteSigningTests(SqliteServer server) : SigningTests(server), IClassFixture<SqliteServer>;

public sealed class DynamoSigningTests(DynamoServer server) : SigningTests(server), IClassFixture<DynamoServer>;
