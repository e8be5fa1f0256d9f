using Cimaa.Report;

namespace Cimaa.Core.Tests.Report;

/// <summary>What the page is asked for: metric specs, the query string, the stale threshold, and the humane age.</summary>
public class ReportRequestTests
{
    private static KeyValuePair<string, string>[] Q(params (string, string)[] pairs) => [.. pairs.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2))];

    [Theory]
    [InlineData("cpu.load", "cpu.load", "")]
    [InlineData(" cpu.load{host=web1} ", "cpu.load", "host=web1")]
    [InlineData("cpu.load{host=web1,host=web2,dc=east}", "cpu.load", "dc=east;host=web1|web2")]
    [InlineData("a{b", "a{b", "")]
    public void A_metric_spec_is_a_name_with_optional_tags(string spec, string name, string tags)
    {
        var m = ReportMetric.Parse(spec);
        Assert.Equal(name, m.Name);
        Assert.Equal(tags, m.Tags is null ? "" : string.Join(";", m.Tags.Select(t => t.Key + "=" + string.Join("|", t.Value))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{host=web1}")]
    [InlineData("cpu{host}")]
    [InlineData("cpu{=x}")]
    public void A_bad_metric_spec_is_InvalidMetric(string spec) =>
        Assert.Equal(ErrorIds.InvalidMetric, Assert.Throws<CimaaException>(() => ReportMetric.Parse(spec)).ErrorId);

    [Fact]
    public void Tags_in_the_query_belong_to_the_metric_before_them()
    {
        var r = ReportRequest.FromQuery(Q(("metric", "a"), ("tags", "host:web1,dc:east"), ("tags", "host:web2"), ("x", "y"), ("metric", "b")), [ReportMetric.Parse("d")]);
        Assert.Equal(["a{dc=east,host=web1,host=web2}", "b"], r.Metrics.Select(m => m.Label));
        Assert.Equal(ReportRequest.DefaultStaleAfter, r.StaleAfter);
    }

    [Fact]
    public void Without_metric_the_default_list_is_used_and_stale_is_seconds()
    {
        var r = ReportRequest.FromQuery(Q(("stale", "60.5")), [ReportMetric.Parse("d")]);
        Assert.Equal(["d"], r.Metrics.Select(m => m.Label));
        Assert.Equal(TimeSpan.FromSeconds(60.5), r.StaleAfter);
    }

    [Theory]
    [InlineData("stale", "0")]
    [InlineData("stale", "-5")]
    [InlineData("stale", "1e3")]
    [InlineData("stale", "abc")]
    [InlineData("tags", "host:web1")]
    [InlineData("metric", "")]
    public void A_bad_query_is_a_clear_error(string key, string value)
    {
        var e = Assert.Throws<CimaaException>(() => ReportRequest.FromQuery(Q((key, value)), []));
        Assert.Equal(CimaaErrorCategory.InvalidArgument, e.Category);
        Assert.Contains(value, e.Message);
    }

    [Theory]
    [InlineData(40, "40s")]
    [InlineData(302, "5m 2s")]
    [InlineData(8040, "2h 14m")]
    [InlineData(273600, "3d 4h")]
    [InlineData(-65, "-1m 5s")]
    public void Ages_show_the_two_largest_units(int seconds, string text) => Assert.Equal(text, HumaneAge.Format(TimeSpan.FromSeconds(seconds)));
}
