using System.Text;
using Cimaa.AccessKeys;

namespace Cimaa.Core.Tests.AccessKeys;

public class SigV4VerifierTests
{
    private readonly SigningSupport _s = new();
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""[{"name":"cpu","tags":{"host":"web1"},"timestamp":1,"value":2}]""");

    private SignedRequest AwsPost() => _s.SignWithAws("POST", "/api/v1/web/datapoints", Body,
        [("ttl", "60"), ("b", "x y"), ("a", "1")], [("Content-Type", "application/json")]);

    private SignedRequest AwsGet() => _s.SignWithAws("GET", "/api/v1/web.prod-1_x/datapoints/query", null,
        [("query", """{"start_relative":{"value":1,"unit":"hours"},"metrics":[{"name":"cpu"}]}""")], []);

    private AuthOutcome Verify(SignedRequest r) => _s.Verifier().Verify(r);

    private static void Refused(AuthOutcome outcome, int status, string reason)
    {
        Assert.Equal(status, outcome.StatusCode);
        var text = outcome switch
        {
            AuthOutcome.Unauthenticated u => u.Reason,
            AuthOutcome.Forbidden f => f.Reason,
            _ => throw new Xunit.Sdk.XunitException($"Expected a refusal, got {outcome}"),
        };
        Assert.Contains(reason, text);
        Assert.DoesNotContain(SigningSupport.Secret, text);
    }

    [Fact]
    public void A_POST_with_body_and_query_signed_by_the_AWS_SDK_is_accepted()
    {
        var request = AwsPost();
        Assert.Contains(", SignedHeaders=", SigningSupport.Get(request, "Authorization"));
        var ok = Assert.IsType<AuthOutcome.Ok>(Verify(request));
        Assert.Equal(SigningSupport.KeyId, ok.KeyId);
        Assert.True(ok.Permissions.Allows("web", AccessOp.Write));
    }

    [Fact]
    public void A_GET_with_a_JSON_query_signed_by_the_AWS_SDK_is_accepted()
    {
        Assert.IsType<AuthOutcome.Ok>(Verify(AwsGet()));
    }

    [Fact]
    public void A_changed_byte_of_the_body_is_refused()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^3] = (byte)'3';
        Refused(Verify(AwsPost() with { BodySha256 = SigningSupport.Hash(tampered) }), 403, "X-Amz-Content-Sha256");
    }

    [Fact]
    public void A_changed_body_hash_header_is_refused()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^3] = (byte)'3';
        var request = SigningSupport.WithHeader(AwsPost(), "X-Amz-Content-SHA256", SigningSupport.Hash(tampered)) with
        {
            BodySha256 = SigningSupport.Hash(tampered),
        };
        Refused(Verify(request), 403, "signature does not match");
    }

    [Theory]
    [InlineData("/api/v1/wec/datapoints")]
    [InlineData("/api/v1/web/datapoint")]
    [InlineData("/api/v1/default/datapoints")]
    public void A_changed_path_is_refused(string path)
    {
        Refused(Verify(AwsPost() with { RawPath = path }), 403, "signature does not match");
    }

    [Theory]
    [InlineData("ttl=61&b=x%20y&a=1")]
    [InlineData("ttl=60&b=x%20y")]
    [InlineData("ttl=60&b=x%20y&a=1&c=2")]
    [InlineData("")]
    public void A_changed_query_is_refused(string query)
    {
        Refused(Verify(AwsPost() with { RawQuery = query }), 403, "signature does not match");
    }

    [Fact]
    public void The_query_may_be_sent_in_any_order_and_escaping()
    {
        Assert.IsType<AuthOutcome.Ok>(Verify(AwsPost() with { RawQuery = "?a=%31&b=x%20y&ttl=60" }));
    }

    [Fact]
    public void A_changed_date_is_refused()
    {
        var request = AwsPost();
        var later = SigningSupport.SignedAt(request).AddSeconds(1);
        Refused(Verify(SigningSupport.WithHeader(request, "X-Amz-Date", SigV4.FormatDateTime(later))), 403, "signature does not match");
        var nextDay = SigningSupport.SignedAt(request).AddDays(1);
        _s.Clock.Set(nextDay);
        Refused(Verify(SigningSupport.WithHeader(request, "X-Amz-Date", SigV4.FormatDateTime(nextDay))), 403, "date of the credential scope");
    }

    [Fact]
    public void A_changed_signed_header_or_method_is_refused()
    {
        Refused(Verify(SigningSupport.WithHeader(AwsPost(), "Content-Type", "text/plain")), 403, "signature does not match");
        Refused(Verify(AwsPost() with { Method = "PUT" }), 403, "signature does not match");
        Refused(Verify(SigningSupport.WithoutHeader(AwsPost(), "Content-Type")), 401, "'content-type' is not in the request");
    }

    [Fact]
    public void A_changed_byte_of_the_signature_is_refused_without_saying_why()
    {
        var request = AwsPost();
        var auth = SigningSupport.Get(request, "Authorization")!;
        var last = auth[^1] == '0' ? '1' : '0';
        var outcome = Verify(SigningSupport.WithHeader(request, "Authorization", auth[..^1] + last));
        Refused(outcome, 403, "The signature does not match.");
        Assert.Equal("The signature does not match.", ((AuthOutcome.Forbidden)outcome).Reason);
    }

    [Theory]
    [InlineData(14, true)]
    [InlineData(-14, true)]
    [InlineData(15, true)]
    [InlineData(16, false)]
    [InlineData(-16, false)]
    public void The_clock_skew_window_is_15_minutes(int minutes, bool accepted)
    {
        var request = AwsPost();
        _s.Clock.Advance(TimeSpan.FromMinutes(minutes));
        var outcome = Verify(request);
        if (accepted) Assert.IsType<AuthOutcome.Ok>(outcome);
        else Refused(outcome, 403, "more than 15 minutes");
    }

    [Fact]
    public void Unknown_and_inactive_keys_are_403()
    {
        var unknown = _s.SignWithAws("GET", "/api/v1/web/metricnames", null, [], [], keyId: "AKIDTEST000000000009");
        var outcome = Verify(unknown);
        Refused(outcome, 403, "not known");
        Assert.Equal("AKIDTEST000000000009", ((AuthOutcome.Forbidden)outcome).KeyId);
        Refused(Verify(_s.SignWithAws("GET", "/api/v1/web/metricnames", null, [], [], keyId: SigningSupport.InactiveId)), 403, "inactive");
    }

    [Fact]
    public void A_key_signed_with_another_secret_is_403()
    {
        Refused(Verify(_s.SignWithAws("GET", "/api/v1/web/metricnames", null, [], [], secret: "x" + SigningSupport.Secret[1..])), 403,
            "signature does not match");
    }

    [Fact]
    public void Missing_or_unparsable_signatures_are_401()
    {
        var request = AwsPost();
        var auth = SigningSupport.Get(request, "Authorization")!;
        Refused(Verify(SigningSupport.WithoutHeader(request, "Authorization")), 401, "no Authorization header");
        Refused(Verify(SigningSupport.WithoutHeader(request, "X-Amz-Date")), 401, "no X-Amz-Date");
        Refused(Verify(SigningSupport.WithHeader(request, "X-Amz-Date", "2026-11-23T12:00:00Z")), 401, "yyyyMMddTHHmmssZ");
        foreach (var bad in new[]
                 {
                     "Basic QUtJRDpzZWNyZXQ=",
                     auth.Replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"),
                     auth.Replace("Credential=", "Cred="),
                     auth.Replace("aws4_request", "aws5_request"),
                     auth[..^1],
                     auth[..^1] + "g",
                     auth.Replace("SignedHeaders=", "SignedHeaders=HOST;"),
                     auth + ", Signature=" + new string('0', 64),
                     auth.Replace("/us-west-2/", "/"),
                 })
        {
            Refused(Verify(SigningSupport.WithHeader(request, "Authorization", bad)), 401, "is not");
        }
        var twice = request with { Headers = request.Headers.Append(new("authorization", auth)).ToList() };
        Refused(Verify(twice), 401, "more than one Authorization");
    }

    [Fact]
    public void SignedHeaders_must_include_host()
    {
        var request = AwsPost();
        var auth = SigningSupport.Get(request, "Authorization")!.Replace("SignedHeaders=content-type;host;", "SignedHeaders=content-type;");
        Refused(Verify(SigningSupport.WithHeader(request, "Authorization", auth)), 401, "does not include host");
    }

    [Fact]
    public void The_scope_must_name_the_servers_region_and_amondawa()
    {
        var request = AwsPost();
        Refused(_s.Verifier("eu-west-1").Verify(request), 403, "not the server's region 'eu-west-1'");
        var auth = SigningSupport.Get(request, "Authorization")!.Replace("/amondawa/", "/dynamodb/");
        Refused(Verify(SigningSupport.WithHeader(request, "Authorization", auth)), 403, "service of the credential scope");
    }

    [Theory]
    [InlineData(",")]
    [InlineData(", ")]
    public void Amondawas_form_built_from_the_contract_is_accepted(string separator)
    {
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        _s.Clock.Set(at.AddMinutes(3));
        var request = SigningSupport.SignAmondawa("POST", "/api/v1/web/datapoints", null, Body, at, separator: separator);
        var ok = Assert.IsType<AuthOutcome.Ok>(Verify(request));
        Assert.Equal(SigningSupport.KeyId, ok.KeyId);
    }

    [Fact]
    public void Amondawas_form_does_not_sign_the_query_or_the_body()
    {
        // As the contract says, Amondawa's clients sign neither: a changed query or body is still accepted.
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        _s.Clock.Set(at);
        var request = SigningSupport.SignAmondawa("GET", "/api/v1/web/datapoints/query", "query=%7B%7D", [], at);
        Assert.IsType<AuthOutcome.Ok>(Verify(request));
        Assert.IsType<AuthOutcome.Ok>(Verify(request with { RawQuery = "query=%7B%22x%22%3A1%7D" }));
        Assert.IsType<AuthOutcome.Ok>(Verify(request with { RawQuery = null, BodySha256 = SigningSupport.Hash(Body) }));
    }

    [Fact]
    public void Amondawas_form_signs_the_path_the_method_the_date_and_every_x_amz_header()
    {
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        _s.Clock.Set(at);
        var request = SigningSupport.SignAmondawa("POST", "/api/v1/web/datapoints", null, Body, at);
        Refused(Verify(request with { RawPath = "/api/v1/wec/datapoints" }), 403, "signature does not match");
        Refused(Verify(request with { Method = "GET" }), 403, "signature does not match");
        Refused(Verify(SigningSupport.WithHeader(request, "X-Amz-Date", SigV4.FormatDateTime(at.AddSeconds(1)))), 403, "signature does not match");
        Refused(Verify(SigningSupport.WithHeader(request, "X-Amz-Meta", "added")), 403, "signature does not match");
        Refused(Verify(SigningSupport.WithHeader(request, "Host", "127.0.0.1:8081")), 403, "signature does not match");
        // A header outside host and x-amz-* is not signed in this form.
        Assert.IsType<AuthOutcome.Ok>(Verify(SigningSupport.WithHeader(request, "Content-Type", "text/plain")));
    }

    [Fact]
    public void Our_signer_is_accepted_and_matches_the_AWS_signer_byte_for_byte()
    {
        foreach (var (method, path, body, query, headers) in new (string, string, byte[]?, (string, string)[], (string, string)[])[]
                 {
                     ("POST", "/api/v1/web/datapoints", Body, [("ttl", "60"), ("b", "x y"), ("a", "1")], [("Content-Type", "application/json")]),
                     ("GET", "/api/v1/web.prod-1_x/datapoints/query", null, [("query", """{"a":[1,2],"b":"c d~*"}""")], []),
                     ("GET", "/api/v1/metricnames", null, [("prefix", "cpu.")], [("X-Custom", "  a   b  ")]),
                     ("GET", "/api/v1/odd path/ünï/(x)", null, [], []),
                 })
        {
            var aws = _s.SignWithAws(method, path, body, query, headers);
            var at = SigningSupport.SignedAt(aws);
            var ours = SigV4Signer.Sign(
                new SigV4Request(method, SigV4.EncodePath(path), query.Select(q => new KeyValuePair<string, string>(q.Item1, q.Item2)).ToList(),
                    headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)).Prepend(new("Host", "127.0.0.1:8080")).ToList(),
                    SigningSupport.Hash(body ?? [])),
                SigningSupport.KeyId, SigningSupport.Secret, SigningSupport.Region, at);
            var ourAuth = ours.Single(h => h.Key == "Authorization").Value;
            Assert.Equal(SigningSupport.Get(aws, "Authorization"), ourAuth);
            Assert.Equal(aws.RawPath, SigV4.EncodePath(path));
            var sent = aws with
            {
                RawQuery = SigV4Signer.QueryString(query.Select(q => new KeyValuePair<string, string>(q.Item1, q.Item2))),
                Headers = headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)).Prepend(new("Host", "127.0.0.1:8080"))
                    .Concat(ours).ToList(),
            };
            Assert.IsType<AuthOutcome.Ok>(Verify(sent));
        }
    }

    [Fact]
    public void The_signer_needs_a_host_header()
    {
        Assert.Throws<ArgumentException>(() => SigV4Signer.Sign(new SigV4Request("GET", "/", [], [], SigV4.EmptyPayloadHash),
            SigningSupport.KeyId, SigningSupport.Secret, SigningSupport.Region, DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("a=1&b=2", "a=1&b=2")]
    [InlineData("?b=2&a=1", "a=1&b=2")]
    [InlineData("a=2&a=1", "a=1&a=2")]
    [InlineData("x", "x=")]
    [InlineData("q=%7b%22a%22:1%7d", "q=%7B%22a%22%3A1%7D")]
    [InlineData("s=a+b&t=a%20b", "s=a%2Bb&t=a%20b")]
    [InlineData("u=%C3%BC~", "u=%C3%BC~")]
    public void The_canonical_query_is_sorted_and_RFC_3986_encoded(string raw, string canonical)
    {
        Assert.Equal(canonical, SigV4.CanonicalQuery(SigV4.ParseQuery(raw)!));
    }

    [Theory]
    [InlineData("a=%")]
    [InlineData("a=%4")]
    [InlineData("a=%zz")]
    public void A_malformed_escape_is_not_a_query(string raw)
    {
        Assert.Null(SigV4.ParseQuery(raw));
    }
}
