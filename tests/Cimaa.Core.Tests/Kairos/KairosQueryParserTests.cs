using System.Text;
using Cimaa.Kairos;
using Cimaa.Metrics;

namespace Cimaa.Core.Tests.Kairos;

public class KairosQueryParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();

    private static KairosParse<KairosQuery> Parse(string json) => KairosQueryParser.Parse(Encoding.UTF8.GetBytes(json), Now);

    private static KairosQuery Good(string json)
    {
        var result = Parse(json);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Value!;
    }

    private static IReadOnlyList<string> Bad(string json)
    {
        var result = Parse(json);
        Assert.Null(result.Value);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    [Theory]
    [InlineData("milliseconds", 1L)]
    [InlineData("seconds", 1_000L)]
    [InlineData("minutes", 60_000L)]
    [InlineData("hours", 3_600_000L)]
    [InlineData("days", 86_400_000L)]
    [InlineData("weeks", 604_800_000L)]
    [InlineData("months", 2_592_000_000L)]
    [InlineData("years", 31_536_000_000L)]
    [InlineData("HOURS", 3_600_000L)]
    public void Relative_start_counts_back_from_now_and_the_end_defaults_to_now(string unit, long unitMs)
    {
        var q = Good($$"""{"start_relative":{"value":3,"unit":"{{unit}}"},"metrics":[{"name":"cpu"}]}""");
        Assert.Equal((NowMs - 3 * unitMs, NowMs), (q.StartMs, q.EndMs));
    }

    [Fact]
    public void Absolute_and_relative_ends_and_string_values()
    {
        var q = Good("""{"start_absolute":1000,"end_absolute":5000,"metrics":[{"name":"cpu"}]}""");
        Assert.Equal((1000L, 5000L), (q.StartMs, q.EndMs));
        q = Good("""{"start_relative":{"value":"2","unit":"hours"},"end_relative":{"value":30,"unit":"minutes"},"metrics":[{"name":"cpu"}]}""");
        Assert.Equal((NowMs - 7_200_000, NowMs - 1_800_000), (q.StartMs, q.EndMs));
        q = Good("""{"start_absolute":1000,"end_absolute":1000,"metrics":[{"name":"cpu"}]}""");
        Assert.Equal(q.StartMs, q.EndMs);
    }

    [Fact]
    public void A_relative_start_before_1970_is_1970()
    {
        Assert.Equal(0, Good("""{"start_relative":{"value":100,"unit":"years"},"metrics":[{"name":"cpu"}]}""").StartMs);
    }

    [Fact]
    public void Every_metric_key_is_read()
    {
        var q = Good("""
            {"start_absolute":1,"time_zone":"UTC","cache_time":0,"metrics":[
              {"name":"cpu","tags":{"host":["web1","web2"],"dc":"east"},
               "group_by":[{"name":"tag","tags":["host"]},{"name":"tag","tags":["dc","host"]}],
               "aggregators":[
                 {"name":"avg","sampling":{"value":5,"unit":"minutes"},"align_sampling":true},
                 {"name":"SUM","sampling":{"value":1,"unit":"hours"},"align_start_time":true},
                 {"name":"max","align_end_time":true},
                 {"name":"rate","unit":"minutes"},
                 {"name":"rate","sampling":{"value":1,"unit":"hours"}},
                 {"name":"rate"}],
               "limit":10,"order":"desc","exclude_tags":true,
               "downsample":{"name":"max","sampling":{"value":1,"unit":"minutes"}},"aggregate":"sum"},
              {"name":"mem"}]}
            """);
        var m = q.Metrics[0];
        Assert.Equal("cpu", m.Name);
        Assert.Equal(["web1", "web2"], m.Tags!["host"]);
        Assert.Equal(["east"], m.Tags["dc"]);
        Assert.Equal(["host", "dc"], m.GroupByTags);
        Assert.Equal(
        [
            new KairosAggregator(KairosAggregatorName.Avg, 300_000, AlignSampling: true),
            new KairosAggregator(KairosAggregatorName.Sum, 3_600_000, AlignStartTime: true),
            new KairosAggregator(KairosAggregatorName.Max, 1, AlignEndTime: true),
            new KairosAggregator(KairosAggregatorName.Rate, 60_000),
            new KairosAggregator(KairosAggregatorName.Rate, 3_600_000),
            new KairosAggregator(KairosAggregatorName.Rate, 1_000),
        ], m.Aggregators);
        Assert.Equal((10, true, true), (m.Limit, m.Descending, m.ExcludeTags));
        Assert.Equal(new KairosDownsample(DownsampleFunction.Max, 60_000), m.Downsample);
        Assert.Equal(AggregateFunction.Sum, m.Aggregate);
        Assert.True(m.NumericOnly);
        var plain = q.Metrics[1];
        Assert.Equal(("mem", (int?)null, false, false), (plain.Name, plain.Limit, plain.Descending, plain.NumericOnly));
        Assert.Null(plain.Tags);
        Assert.Empty(plain.GroupByTags);
    }

    [Theory]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":""}]}""", "metrics[0].name may not be empty")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"cpu"},{}]}""", "metrics[1].name is required")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":["cpu"]}]}""", "metrics[0].name must be a string")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"a|b"}]}""", "metrics[0].name: The metric name 'a|b' contains '|'.")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregators":[{"name":"avg"},{"name":"foo"}]}]}""",
        "metrics[0].aggregators[1].name 'foo' is not a known aggregator")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregators":[{"name":"percentile"}]}]}""",
        "metrics[0].aggregators[0].name 'percentile' is not a known aggregator (avg, sum, min, max, count, dev, first, last, rate)")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregators":[{"sampling":{"value":1,"unit":"hours"}}]}]}""",
        "metrics[0].aggregators[0].name is required")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregators":[{"name":"1"}]}]}""", "'1' is not a known aggregator")]
    [InlineData("""{"start_relative":{"value":1,"unit":"fortnights"},"metrics":[{"name":"m"}]}""", "start_relative.unit 'fortnights' is not a known unit")]
    [InlineData("""{"start_relative":{"value":1},"metrics":[{"name":"m"}]}""", "start_relative.unit is required")]
    [InlineData("""{"start_relative":{"unit":"days"},"metrics":[{"name":"m"}]}""", "start_relative.value is required")]
    [InlineData("""{"start_relative":{"value":-1,"unit":"days"},"metrics":[{"name":"m"}]}""", "start_relative.value must not be negative")]
    [InlineData("""{"start_relative":{"value":1.5,"unit":"days"},"metrics":[{"name":"m"}]}""", "start_relative.value must be an integer")]
    [InlineData("""{"start_relative":{"value":9223372036854775807,"unit":"years"},"metrics":[{"name":"m"}]}""", "start_relative.value is too large")]
    [InlineData("""{"start_relative":5,"metrics":[{"name":"m"}]}""", "start_relative must be an object")]
    [InlineData("""{"start_absolute":1,"end_relative":{"value":1,"unit":"eons"},"metrics":[{"name":"m"}]}""", "end_relative.unit 'eons' is not a known unit")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","tags":{"host":5}}]}""", "metrics[0].tags.host must be a string or an array of strings")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","tags":{"host":["a",5]}}]}""", "metrics[0].tags.host must be a string or an array of strings")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","tags":{"host":[]}}]}""", "metrics[0].tags.host may not be an empty array")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","tags":["host"]}]}""", "metrics[0].tags must be an object")]
    [InlineData("""{"start_absolute":5000,"end_absolute":4999,"metrics":[{"name":"m"}]}""", "the start time 5000 is after the end time 4999")]
    [InlineData("""{"start_relative":{"value":1,"unit":"hours"},"end_relative":{"value":2,"unit":"hours"},"metrics":[{"name":"m"}]}""", "is after the end time")]
    [InlineData("""{"start_absolute":1,"start_relative":{"value":1,"unit":"hours"},"metrics":[{"name":"m"}]}""", "give start_absolute or start_relative, not both")]
    [InlineData("""{"start_absolute":1,"end_absolute":2,"end_relative":{"value":1,"unit":"hours"},"metrics":[{"name":"m"}]}""", "give end_absolute or end_relative, not both")]
    [InlineData("""{"metrics":[{"name":"m"}]}""", "start_absolute or start_relative is required")]
    [InlineData("""{"start_absolute":-1,"metrics":[{"name":"m"}]}""", "start_absolute must not be negative")]
    [InlineData("""{"start_absolute":"soon","metrics":[{"name":"m"}]}""", "start_absolute must be an integer")]
    [InlineData("""{"start_absolute":1}""", "metrics is required")]
    [InlineData("""{"start_absolute":1,"metrics":[]}""", "metrics may not be empty")]
    [InlineData("""{"start_absolute":1,"metrics":{}}""", "metrics must be an array")]
    [InlineData("""{"start_absolute":1,"metrics":["cpu"]}""", "metrics[0] must be an object")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","limit":0}]}""", "metrics[0].limit must be a positive integer")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","limit":"ten"}]}""", "metrics[0].limit must be an integer")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","order":"up"}]}""", "metrics[0].order 'up' must be asc or desc")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","group_by":[{"name":"time","range_size":{"value":1,"unit":"hours"}}]}]}""",
        "metrics[0].group_by[0].name 'time' is not a supported grouper: only 'tag' is")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","group_by":[{"name":"tag"}]}]}""", "metrics[0].group_by[0].tags is required")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","group_by":[{"name":"tag","tags":[]}]}]}""", "metrics[0].group_by[0].tags may not be empty")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","group_by":[{"name":"tag","tags":"host"}]}]}""", "metrics[0].group_by[0].tags must be an array")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregators":[{"name":"avg","sampling":{"value":0,"unit":"minutes"}}]}]}""",
        "metrics[0].aggregators[0].sampling.value must be at least 1")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregators":[{"name":"avg","sampling":{"value":1,"unit":"fortnights"}}]}]}""",
        "metrics[0].aggregators[0].sampling.unit 'fortnights' is not a known unit")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregators":[{"name":"rate","unit":"ages"}]}]}""",
        "metrics[0].aggregators[0].unit 'ages' is not a known unit")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregators":[{"name":"avg","align_sampling":"yes"}]}]}""",
        "metrics[0].aggregators[0].align_sampling must be true or false")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregators":{"name":"avg"}}]}""", "metrics[0].aggregators must be an array")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","downsample":{"name":"median","sampling":{"value":1,"unit":"minutes"}}}]}""",
        "metrics[0].downsample.name 'median' is not a known downsample function")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","downsample":{"name":"avg"}}]}""", "metrics[0].downsample.sampling is required")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m","aggregate":"median"}]}""", "metrics[0].aggregate 'median' is not a known aggregate")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m"}]""", "the body is not valid JSON")]
    [InlineData("""{"start_absolute":1,"metrics":[{"name":"m"}]} {}""", "the body is not valid JSON")]
    [InlineData("""[{"start_absolute":1}]""", "the query must be an object")]
    [InlineData("  ", "the body is empty")]
    public void Bad_queries_name_the_field(string json, string error)
    {
        Assert.Contains(Bad(json), e => e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public void Several_errors_are_reported_together()
    {
        var errors = Bad("""{"start_absolute":1,"metrics":[{"name":""},{"name":"m","aggregators":[{"name":"foo"}],"order":"up"}]}""");
        Assert.Equal(
        [
            "metrics[0].name may not be empty",
            "metrics[1].aggregators[0].name 'foo' is not a known aggregator (avg, sum, min, max, count, dev, first, last, rate)",
            "metrics[1].order 'up' must be asc or desc",
        ], errors);
    }

    [Fact]
    public void A_long_unknown_value_is_cut_in_the_message()
    {
        var error = Assert.Single(Bad($$"""{"start_absolute":1,"metrics":[{"name":"m","order":"{{new string('x', 500)}}"}]}"""));
        Assert.True(error.Length < 120, error);
    }
}
