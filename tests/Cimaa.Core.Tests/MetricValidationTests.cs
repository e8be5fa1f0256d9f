using System.Collections;
using Cimaa.Metrics;

namespace Cimaa.Core.Tests;

public class MetricValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static List<KeyValuePair<object?, object?>> Tags(int n) =>
        Enumerable.Range(0, n).Select(i => new KeyValuePair<object?, object?>($"k{i}", $"v{i}")).ToList();

    public static TheoryData<string, MetricInput> Bad => new()
    {
        { "empty name", new MetricInput("", 1, null, null, null) },
        { "null name", new MetricInput(null, 1, null, null, null) },
        { "bar in name", new MetricInput("a|b", 1, null, null, null) },
        { "bar in tag key", new MetricInput("m", 1, [new("a|b", "x")], null, null) },
        { "bar in tag value", new MetricInput("m", 1, [new("a", "x|y")], null, null) },
        { "21 tags", new MetricInput("m", 1, Tags(21), null, null) },
        { "empty tag key", new MetricInput("m", 1, [new("", "x")], null, null) },
        { "array tag value", new MetricInput("m", 1, [new("a", new[] { "x", "y" })], null, null) },
        { "null value", new MetricInput("m", null, null, null, null) },
        { "value over 64 KB", new MetricInput("m", new string('x', 64 * 1024), null, null, null) },
        { "NaN", new MetricInput("m", double.NaN, null, null, null) },
        { "bar in domain", new MetricInput("m", 1, null, null, "a|b") },
        { "before 1970", new MetricInput("m", 1, null, new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero), null) },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_input_is_InvalidMetric(string why, MetricInput input)
    {
        var e = Assert.Throws<CimaaException>(() => MetricValidation.Validate([new MetricInput("ok", 1, null, null, null), input], Now));
        Assert.True(e.ErrorId == ErrorIds.InvalidMetric, why);
        Assert.Equal(CimaaErrorCategory.InvalidArgument, e.Category);
    }

    [Fact]
    public void Twenty_tags_a_value_of_64_KB_and_defaults_are_fine()
    {
        var v = MetricValidation.Validate(new MetricInput("m", 1, Tags(20), null, null), Now);
        Assert.Equal(("default", Now.ToUnixTimeMilliseconds(), 20), (v.Domain, v.TimestampMs, v.Tags.Count));
        var big = MetricValidation.Validate(new MetricInput("m", new string('x', 64 * 1024 - 2), null, null, null), Now);
        Assert.Equal(64 * 1024, big.Json!.Length);
    }

    [Theory]
    [InlineData(5, "5", null)]
    [InlineData(5L, "5", null)]
    [InlineData(2.5, "2.5", null)]
    [InlineData("42", "42", null)]
    [InlineData("-1.5e3", "-1500", null)]
    [InlineData("12 apples", null, "\"12 apples\"")]
    [InlineData(true, null, "true")]
    public void Numbers_become_N_and_the_rest_JSON(object value, string? number, string? json)
    {
        var v = MetricValidation.Validate(new MetricInput("m", value, null, null, null), Now);
        Assert.Equal((number, json), (v.Number, v.Json));
    }

    [Fact]
    public void Tag_string_is_sorted_and_escaped()
    {
        var v = MetricValidation.Validate(new MetricInput("m", 1, [new("z", "1;2"), new("a=b", "50%"), new("m", 3)], null, null), Now);
        Assert.Equal("a%3Db=50%25;m=3;z=1%3B2", v.TagString);
        Assert.Equal("001795428000000|a%3Db=50%25", MetricKeys.BaseTag(MetricKeys.BaseTime(1_795_428_123_456), "a%3Db=50%25"));
        Assert.Equal("d|m|1795428000000|", MetricKeys.Key("d", "m", 1_795_428_000_000, ""));
    }

    [Theory]
    [InlineData("-15m", 15 * 60)]
    [InlineData("-2h", 2 * 3600)]
    [InlineData("-7d", 7 * 86400)]
    [InlineData("-1w", 7 * 86400)]
    [InlineData("-1mo", 30 * 86400)]
    [InlineData("-1y", 365 * 86400)]
    [InlineData("-90s", 90)]
    [InlineData("30M", 30 * 60)]
    [InlineData("now", 0)]
    public void Relative_times_count_back_from_now(string text, long seconds) =>
        Assert.Equal(Now.AddSeconds(-seconds), MetricTime.Parse(text, Now));

    [Fact]
    public void Absolute_times_and_dates_parse_as_UTC()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), MetricTime.Parse("2026-11-01", Now));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 6, 0, 0, TimeSpan.Zero), MetricTime.Parse("2026-11-01T08:00:00+02:00", Now));
        Assert.Equal(Now, MetricTime.Parse(Now, Now));
        Assert.Equal(Now, MetricTime.Parse(Now.UtcDateTime, Now));
    }

    [Theory]
    [InlineData("-15")]
    [InlineData("-15x")]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("--1h")]
    [InlineData("-99999999999999y")]
    public void Bad_times_are_InvalidTime(string text)
    {
        var e = Assert.Throws<CimaaException>(() => MetricTime.Parse(text, Now));
        Assert.Equal((ErrorIds.InvalidTime, (object)text), (e.ErrorId, e.Target));
    }

    [Fact]
    public async Task A_query_reads_relative_times_on_the_clients_clock_and_checks_the_range_and_the_window()
    {
        using var dir = new Cimaa.Testing.TempDir();
        var clock = new Cimaa.Testing.ManualClock(Now);
        await using var client = Storage.StoreFactory.Open(TestStores.Sqlite(dir, clock));
        var query = client.Metrics.CreateQuery(["cpu"], "-1h", null, "default", null, TimeSpan.FromMinutes(5), "MAX", "sum");
        Assert.Equal((Now.AddHours(-1), Now), (query.Start, query.End));
        Assert.Equal((DownsampleFunction.Max, (AggregateFunction?)AggregateFunction.Sum), (query.DownsampleFunction, query.Aggregate));

        var window = Assert.Throws<CimaaException>(() => client.Metrics.CreateQuery(["cpu"], "-1h", null, "default", null, TimeSpan.FromTicks(9_999)));
        Assert.Equal((ErrorIds.InvalidTime, CimaaErrorCategory.InvalidArgument, (object)TimeSpan.FromTicks(9_999)), (window.ErrorId, window.Category, window.Target));
        var range = Assert.Throws<CimaaException>(() => client.Metrics.CreateQuery(["cpu"], "-1h", "-2h", "default", null, null));
        Assert.Equal((ErrorIds.InvalidTime, (object)"-1h"), (range.ErrorId, range.Target));
        Assert.Contains("is after the end", range.Message);
        var bad = Assert.Throws<CimaaException>(() => client.Metrics.CreateQuery(["cpu"], "yesterday", null, "default", null, null));
        Assert.Equal((ErrorIds.InvalidTime, (object)"yesterday"), (bad.ErrorId, bad.Target));
    }

    [Fact]
    public void Json_values_restore_as_plain_objects()
    {
        var v = MetricValidation.Validate(new MetricInput("m", new Hashtable { ["a"] = new object[] { 1, "x", null! } }, null, null, null), Now);
        var restored = Assert.IsType<System.Collections.Specialized.OrderedDictionary>(MetricValues.FromJson(v.Json!));
        Assert.Equal(new object?[] { 1m, "x", null }, Assert.IsType<object?[]>(restored["a"]));
    }
}
