using System.Collections.Specialized;
using System.Text;
using Cimaa.Kairos;

namespace Cimaa.Core.Tests.Kairos;

public class KairosWriteParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();

    private static KairosParse<IReadOnlyList<KairosWritePoint>> Parse(string json, KairosLimits? limits = null, string domain = "web") =>
        KairosWriteParser.Parse(Encoding.UTF8.GetBytes(json), domain, Now, limits);

    private static IReadOnlyList<KairosWritePoint> Good(string json)
    {
        var result = Parse(json);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Value!;
    }

    private static string Bad(string json, KairosLimits? limits = null)
    {
        var result = Parse(json, limits);
        Assert.Null(result.Value);
        Assert.NotEmpty(result.Errors);
        return string.Join("\n", result.Errors);
    }

    [Fact]
    public void Both_forms_give_plain_points_with_domain_tags_and_ttl()
    {
        var points = Good($$"""
            [
              {"name":"cpu","tags":{"host":"web1","dc":"east"},"timestamp":{{NowMs}},"value":1.5},
              {"name":"mem","tags":{"host":"web2"},"datapoints":[[1000,2],[2000,"3"]],"ttl":60},
              {"name":"up","datapoints":[[3000,true]],"ttl":0}
            ]
            """);
        Assert.Equal(4, points.Count);
        var cpu = points[0].Metric;
        Assert.Equal(("web", "cpu", NowMs, "1.5", (string?)null), (cpu.Domain, cpu.Name, cpu.TimestampMs, cpu.Number, cpu.Json));
        Assert.Equal("dc=east;host=web1", cpu.TagString);
        Assert.Equal(["dc", "host"], cpu.Tags.Keys);
        Assert.Null(points[0].TtlSeconds);
        Assert.Equal((1000L, "2", 60L), (points[1].Metric.TimestampMs, points[1].Metric.Number, points[1].TtlSeconds));
        Assert.Equal((2000L, "3", "host=web2"), (points[2].Metric.TimestampMs, points[2].Metric.Number, points[2].Metric.TagString));
        Assert.Equal(("true", (long?)null), (points[3].Metric.Json, points[3].TtlSeconds));
        Assert.Equal("", points[3].Metric.TagString);
    }

    [Fact]
    public void A_single_object_is_one_metric()
    {
        Assert.Single(Good("""{"name":"cpu","timestamp":1,"value":2}"""));
    }

    [Fact]
    public void Non_numeric_values_are_kept_as_JSON_and_numeric_tags_as_text()
    {
        var points = Good("""[{"name":"m","tags":{"port":8080,"r":1.50},"datapoints":[[1,"12 apples"],[2,{"a":[1,"x"],"b":null}],[3,[1,2]],[4,1.50]]}]""");
        Assert.Equal("port=8080;r=1.50", points[0].Metric.TagString);
        Assert.Equal(["\"12 apples\"", """{"a":[1,"x"],"b":null}""", "[1,2]", null], points.Select(p => p.Metric.Json));
        Assert.Equal("1.50", points[3].Metric.Number);
    }

    [Fact]
    public void An_empty_array_is_no_points()
    {
        Assert.Empty(Good("[]"));
    }

    [Theory]
    [InlineData("""[{"name":"","timestamp":1,"value":1}]""", "metric[0].name may not be empty")]
    [InlineData("""[{"timestamp":1,"value":1}]""", "metric[0].name is required")]
    [InlineData("""[{"name":5,"timestamp":1,"value":1}]""", "metric[0].name must be a string")]
    [InlineData("""[{"name":"a|b","timestamp":1,"value":1}]""", "metric[0]: The metric name 'a|b' contains '|'.")]
    [InlineData("""[{"name":"m","tags":{"h":"a|b"},"timestamp":1,"value":1}]""", "metric[0]: The tag 'h=a|b' of metric 'm' contains '|'.")]
    [InlineData("""[{"name":"m","tags":{"a|b":"x"},"timestamp":1,"value":1}]""", "contains '|'")]
    [InlineData("""[{"name":"m","tags":{"":"x"},"timestamp":1,"value":1}]""", "metric[0]: Metric 'm' has a tag with an empty key.")]
    [InlineData("""[{"name":"m","tags":{"host":["a"]},"timestamp":1,"value":1}]""", "metric[0].tags.host must be a string")]
    [InlineData("""[{"name":"m","tags":{"host":null},"timestamp":1,"value":1}]""", "metric[0].tags.host must be a string")]
    [InlineData("""[{"name":"m","tags":{"h":"a","h":"b"},"timestamp":1,"value":1}]""", "The tag 'h' of metric 'm' is given twice.")]
    [InlineData("""[{"name":"m","tags":[],"timestamp":1,"value":1}]""", "metric[0].tags must be an object")]
    [InlineData("""[{"name":"m","timestamp":1.5,"value":1}]""", "metric[0].timestamp must be an integer")]
    [InlineData("""[{"name":"m","timestamp":"x","value":1}]""", "metric[0].timestamp must be an integer")]
    [InlineData("""[{"name":"m","timestamp":-1,"value":1}]""", "before 1970")]
    [InlineData("""[{"name":"m","timestamp":1}]""", "metric[0].value is required with timestamp")]
    [InlineData("""[{"name":"m","value":1}]""", "metric[0].timestamp is required with value")]
    [InlineData("""[{"name":"m","timestamp":1,"value":null}]""", "metric[0]: Metric 'm' has no value.")]
    [InlineData("""[{"name":"m","timestamp":1,"value":1e400}]""", "not a finite number")]
    [InlineData("""[{"name":"m","timestamp":1,"value":1e30}]""", "not a finite number")]
    [InlineData("""[{"name":"m"}]""", "metric[0] has no points: give timestamp and value, or datapoints")]
    [InlineData("""[{"name":"m","datapoints":[[1,2],[3]]}]""", "metric[0].datapoints[1] must be [timestamp, value]")]
    [InlineData("""[{"name":"m","datapoints":[[1,2],[3,4,5]]}]""", "metric[0].datapoints[1] must be [timestamp, value]")]
    [InlineData("""[{"name":"m","datapoints":[[1,2],{"t":3}]}]""", "metric[0].datapoints[1] must be [timestamp, value]")]
    [InlineData("""[{"name":"m","datapoints":[["x",2]]}]""", "metric[0].datapoints[0][0] must be an integer")]
    [InlineData("""[{"name":"m","datapoints":[[1,null]]}]""", "metric[0].datapoints[0]: Metric 'm' has no value.")]
    [InlineData("""[{"name":"m","datapoints":{}}]""", "metric[0].datapoints must be an array")]
    [InlineData("""[{"name":"m","datapoints":[[99999999999999999,1]]}]""", "metric[0].datapoints[0][0] 99999999999999999 is out of range")]
    [InlineData("""[{"name":"m","timestamp":1,"value":1,"ttl":-5}]""", "metric[0].ttl must be a whole number of seconds")]
    [InlineData("""[{"name":"m","timestamp":1,"value":1,"ttl":"soon"}]""", "metric[0].ttl must be an integer")]
    [InlineData("""[1]""", "metric[0] must be an object")]
    [InlineData("""{"name":"m","timestamp":1,"value":1""", "the body is not valid JSON")]
    [InlineData("""[{"name":"m","timestamp":1,"value":1}] x""", "the body is not valid JSON")]
    [InlineData("""[{'name':'m'}]""", "the body is not valid JSON")]
    [InlineData("", "the body is empty")]
    [InlineData("\"m\"", "the body must be a JSON array of metrics")]
    public void Bad_bodies_name_the_field(string json, string error)
    {
        Assert.Contains(error, Bad(json));
    }

    [Fact]
    public void More_than_20_tags_is_refused()
    {
        var tags = string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"k{i}\":\"v\""));
        Assert.Contains("metric[0]: Metric 'm' has 21 tags; at most 20 are allowed.", Bad($$"""[{"name":"m","tags":{{{tags}}},"timestamp":1,"value":1}]"""));
        var twenty = string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"k{i}\":\"v\""));
        Assert.Single(Good($$"""[{"name":"m","tags":{{{twenty}}},"timestamp":1,"value":1}]"""));
    }

    [Fact]
    public void A_value_over_64_KB_is_refused()
    {
        Assert.Contains("is over 64 KB", Bad($$"""[{"name":"m","timestamp":1,"value":"{{new string('x', 64 * 1024)}}"}]"""));
    }

    [Fact]
    public void A_point_far_in_the_future_is_refused()
    {
        var limit = NowMs + (long)TimeSpan.FromDays(1).TotalMilliseconds;
        Assert.Single(Good($$"""[{"name":"m","timestamp":{{limit}},"value":1}]"""));
        Assert.Contains($"metric[0].timestamp {limit + 1} is more than 24 hours ahead of the server's clock",
            Bad($$"""[{"name":"m","timestamp":{{limit + 1}},"value":1}]"""));
        Assert.Contains("is more than 1 hours ahead",
            Bad($$"""[{"name":"m","timestamp":{{NowMs + 3_600_001}},"value":1}]""", new KairosLimits { MaxFuture = TimeSpan.FromHours(1) }));
    }

    [Fact]
    public void The_points_limit_is_configurable_and_counts_both_forms()
    {
        const string json = """[{"name":"m","timestamp":1,"value":1},{"name":"n","datapoints":[[1,1],[2,2],[3,3]]}]""";
        Assert.Equal(4, Parse(json, new KairosLimits { MaxPoints = 4 }).Value!.Count);
        Assert.Equal(["the body holds more than 3 points"], Parse(json, new KairosLimits { MaxPoints = 3 }).Errors);
        Assert.Equal(100_000, new KairosLimits().MaxPoints);
    }

    [Fact]
    public void One_bad_point_rejects_the_whole_body_and_every_error_is_listed()
    {
        var result = Parse("""
            [{"name":"ok","timestamp":1,"value":1},
             {"name":"","timestamp":1,"value":1},
             {"name":"m","datapoints":[[1,1],[2,null],[3,{"x":1}],["t",4]]}]
            """);
        Assert.Null(result.Value);
        Assert.Equal(
        [
            "metric[1].name may not be empty",
            "metric[2].datapoints[3][0] must be an integer",
            "metric[2].datapoints[1]: Metric 'm' has no value.",
        ], result.Errors);
    }

    [Fact]
    public void The_error_list_is_capped()
    {
        var many = "[" + string.Join(",", Enumerable.Range(0, 60).Select(_ => """{"name":""}""")) + "]";
        var errors = Parse(many, new KairosLimits { MaxErrors = 5 }).Errors;
        Assert.Equal(6, errors.Count);
        Assert.Equal("... and 115 more errors", errors[^1]);
    }

    [Fact]
    public void A_domain_with_a_bar_is_refused()
    {
        Assert.Contains("The domain 'a|b' contains '|'.", string.Join("\n", Parse("""[{"name":"m","timestamp":1,"value":1}]""", domain: "a|b").Errors));
    }

    [Fact]
    public void Object_values_round_trip_as_ordered_JSON()
    {
        var json = Good("""[{"name":"m","timestamp":1,"value":{"z":1,"a":{"b":[true,false]}}}]""")[0].Metric.Json!;
        Assert.Equal("""{"z":1,"a":{"b":[true,false]}}""", json);
        Assert.IsType<OrderedDictionary>(Cimaa.Metrics.MetricValues.FromJson(json));
    }

    [Fact]
    public void Metrics_that_share_names_and_tags_are_checked_each_with_their_own_tags()
    {
        // The check of a name and its tags is reused within a body; names and tags that only look alike when joined stay apart.
        var points = Good("""
            [{"name":"a\u0000b\u0001c","timestamp":1,"value":1},
             {"name":"a","tags":{"b":"c"},"timestamp":2,"value":2},
             {"name":"a","tags":{"b":"c"},"timestamp":3,"value":3},
             {"name":"a1:b","tags":{"c":"d"},"timestamp":4,"value":4},
             {"name":"a","tags":{"1:b1:c":"d"},"timestamp":5,"value":5}]
            """);
        Assert.Equal(["", "b=c", "b=c", "c=d", "1:b1:c=d"], points.Select(p => p.Metric.TagString));
        Assert.Equal(["a\0b\u0001c", "a", "a", "a1:b", "a"], points.Select(p => p.Metric.Name));
        Assert.Contains("metric[1]: The tag 'x=a|b' of metric 'm' contains '|'.",
            Bad("""[{"name":"m","tags":{"x":"ok"},"timestamp":1,"value":1},{"name":"m","tags":{"x":"a|b"},"timestamp":1,"value":1}]"""));
    }
}
