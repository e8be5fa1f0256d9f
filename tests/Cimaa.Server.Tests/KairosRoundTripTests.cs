using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Cimaa.Server.Tests;

/// <summary>
/// KairosDB round trips over HTTP: write, then query, with values computed by hand. Two streams of <c>rt.cpu</c>, whose
/// hour H starts two hours before the current hour:
/// host a (dc east): H+0 s 1, H+10 s 2, H+20 s 3, H+70 s 10; host b (dc east): H+5 s 4, H+65 s 6.
/// </summary>
public abstract class KairosRoundTripTests(ServerFixture server)
{
    private const long S = 1000;
    private static readonly long H = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 3_600_000 - 2) * 3_600_000;

    private async Task WriteAsync()
    {
        var body = $$"""
            [{"name":"rt.cpu","tags":{"host":"a","dc":"east"},"datapoints":[[{{H}},1],[{{H + 10 * S}},2],[{{H + 20 * S}},3],[{{H + 70 * S}},10]]},
             {"name":"rt.cpu","tags":{"host":"b","dc":"east"},"datapoints":[[{{H + 5 * S}},4]]},
             {"name":"rt.cpu","tags":{"host":"b","dc":"east"},"timestamp":{{H + 65 * S}},"value":"6"}]
            """;
        using var response = await server.PostAsync("/api/v1/open/datapoints", body);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task<JsonElement> QueryAsync(string metric, string range = "", string path = "/api/v1/open/datapoints/query")
    {
        range = range.Length > 0 ? range : $$"""
            "start_absolute":{{H}},"end_absolute":{{H + 3_599_999}}
            """;
        using var response = await server.PostAsync(path, $$"""{ {{range}}, "metrics":[{{metric}}] }""");
        return await Api.JsonAsync(response);
    }

    private static void AssertValues(JsonElement result, params (long Offset, double Value)[] expected)
    {
        var actual = Api.Values(result);
        Assert.True(expected.Length == actual.Length, $"expected {expected.Length} values, got {result.GetProperty("values")}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(H + expected[i].Offset, actual[i].Time);
            Assert.Equal(expected[i].Value, (double)actual[i].Value, 9);
        }
    }

    [Theory]
    [InlineData("avg", "0:2.5 60:8")]
    [InlineData("sum", "0:10 60:16")]
    [InlineData("min", "0:1 60:6")]
    [InlineData("max", "0:4 60:10")]
    [InlineData("count", "0:4 60:2")]
    [InlineData("dev", "0:1.2909944487358056 60:2.8284271247461903")]
    [InlineData("first", "0:1 60:6")]
    [InlineData("last", "0:3 60:10")]
    public async Task Every_range_aggregator_over_one_minute_windows(string aggregator, string expected)
    {
        await WriteAsync();
        var root = await QueryAsync($$"""
            {"name":"rt.cpu","aggregators":[{"name":"{{aggregator}}","sampling":{"value":1,"unit":"minutes"},"align_sampling":true,"align_start_time":true}]}
            """);
        var result = Assert.Single(Api.Results(root));
        AssertValues(result, Parse(expected));
        Assert.Equal(6, root.GetProperty("queries")[0].GetProperty("sample_size").GetInt64());
        Assert.Equal(["east"], Api.Strings(result.GetProperty("tags").GetProperty("dc")));
        Assert.Equal(["a", "b"], Api.Strings(result.GetProperty("tags").GetProperty("host")));
    }

    [Fact]
    public async Task Rate_is_the_change_per_second_between_consecutive_timestamps()
    {
        await WriteAsync();
        var root = await QueryAsync("""{"name":"rt.cpu","aggregators":[{"name":"rate","unit":"seconds"}]}""");
        // Merged: H 1, H+5 4, H+10 2, H+20 3, H+65 6, H+70 10.
        AssertValues(Assert.Single(Api.Results(root)), (5 * S, 0.6), (10 * S, -0.4), (20 * S, 0.1), (65 * S, 3.0 / 45), (70 * S, 0.8));
    }

    [Fact]
    public async Task Windows_are_stamped_at_their_first_point_unless_align_start_time_is_given()
    {
        await WriteAsync();
        var root = await QueryAsync("""{"name":"rt.cpu","aggregators":[{"name":"avg","sampling":{"value":1,"unit":"minutes"},"align_sampling":true}]}""");
        AssertValues(Assert.Single(Api.Results(root)), (0, 2.5), (65 * S, 8));
    }

    [Fact]
    public async Task Without_align_sampling_windows_start_at_the_query_start()
    {
        await WriteAsync();
        var range = $$""" "start_absolute":{{H + 15 * S}},"end_absolute":{{H + 3_599_999}} """;
        var sum = """{"name":"rt.cpu","aggregators":[{"name":"sum","sampling":{"value":1,"unit":"minutes"}ALIGN}]}""";
        // From H+15 s: one window [H+15 s, H+75 s) holds 3, 6 and 10.
        AssertValues(Assert.Single(Api.Results(await QueryAsync(sum.Replace("ALIGN", ""), range))), (20 * S, 19));
        // Aligned to the epoch: [H, H+60 s) holds only 3 (from H+15 s on), [H+60 s, H+120 s) holds 6 and 10.
        AssertValues(Assert.Single(Api.Results(await QueryAsync(sum.Replace("ALIGN", ""","align_sampling":true,"align_start_time":true"""), range))),
            (0, 3), (60 * S, 16));
    }

    [Fact]
    public async Task Group_by_a_tag_gives_one_result_per_value()
    {
        await WriteAsync();
        var root = await QueryAsync("""
            {"name":"rt.cpu","group_by":[{"name":"tag","tags":["host"]}],
             "aggregators":[{"name":"sum","sampling":{"value":1,"unit":"minutes"},"align_sampling":true,"align_start_time":true}]}
            """);
        var results = Api.Results(root);
        Assert.Equal(2, results.Length);
        AssertValues(results[0], (0, 6), (60 * S, 10));
        AssertValues(results[1], (0, 4), (60 * S, 6));
        var groupBy = results[1].GetProperty("group_by");
        Assert.Equal("number", groupBy[0].GetProperty("type").GetString());
        Assert.Equal("tag", groupBy[1].GetProperty("name").GetString());
        Assert.Equal(["host"], Api.Strings(groupBy[1].GetProperty("tags")));
        Assert.Equal("b", groupBy[1].GetProperty("group").GetProperty("host").GetString());
        Assert.Equal(["b"], Api.Strings(results[1].GetProperty("tags").GetProperty("host")));
    }

    [Fact]
    public async Task Raw_points_of_every_stream_merge_in_time_order_and_tags_filter_them()
    {
        await WriteAsync();
        AssertValues(Assert.Single(Api.Results(await QueryAsync("""{"name":"rt.cpu"}"""))),
            (0, 1), (5 * S, 4), (10 * S, 2), (20 * S, 3), (65 * S, 6), (70 * S, 10));
        AssertValues(Assert.Single(Api.Results(await QueryAsync("""{"name":"rt.cpu","tags":{"host":"b"}}"""))), (5 * S, 4), (65 * S, 6));
        AssertValues(Assert.Single(Api.Results(await QueryAsync("""{"name":"rt.cpu","tags":{"host":["a","x"],"dc":"east"}}"""))),
            (0, 1), (10 * S, 2), (20 * S, 3), (70 * S, 10));
        var none = Assert.Single(Api.Results(await QueryAsync("""{"name":"rt.cpu","tags":{"host":"x"}}""")));
        Assert.Equal(0, none.GetProperty("values").GetArrayLength());
    }

    [Fact]
    public async Task Limit_and_order()
    {
        await WriteAsync();
        AssertValues(Assert.Single(Api.Results(await QueryAsync("""{"name":"rt.cpu","limit":2}"""))), (0, 1), (5 * S, 4));
        AssertValues(Assert.Single(Api.Results(await QueryAsync("""{"name":"rt.cpu","order":"desc"}"""))),
            (70 * S, 10), (65 * S, 6), (20 * S, 3), (10 * S, 2), (5 * S, 4), (0, 1));
        AssertValues(Assert.Single(Api.Results(await QueryAsync("""{"name":"rt.cpu","limit":2,"order":"desc"}"""))), (70 * S, 10), (65 * S, 6));
    }

    [Fact]
    public async Task Amondawas_downsample_then_aggregate()
    {
        await WriteAsync();
        var root = await QueryAsync("""{"name":"rt.cpu","downsample":{"name":"max","sampling":{"value":1,"unit":"minutes"}},"aggregate":"sum"}""");
        // max per stream and minute: a 3, 10; b 4, 6; summed: 7, 16.
        AssertValues(Assert.Single(Api.Results(root)), (0, 7), (60 * S, 16));
    }

    [Fact]
    public async Task Relative_times_count_back_from_now()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var body = $$"""[{"name":"rt.relative","datapoints":[[{{now - 90 * 60_000}},1],[{{now - 30 * 60_000}},2]]}]""";
        using (var write = await server.PostAsync("/api/v1/open/datapoints", body)) Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
        var lastHour = await QueryAsync("""{"name":"rt.relative"}""", """ "start_relative":{"value":1,"unit":"hours"} """);
        Assert.Equal([2m], Api.Values(Assert.Single(Api.Results(lastHour))).Select(v => v.Value));
        var hourBefore = await QueryAsync("""{"name":"rt.relative"}""",
            """ "start_relative":{"value":120,"unit":"minutes"},"end_relative":{"value":3600,"unit":"seconds"} """);
        Assert.Equal([1m], Api.Values(Assert.Single(Api.Results(hourBefore))).Select(v => v.Value));
    }

    [Fact]
    public async Task A_ttl_overrides_the_retention_of_its_points()
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000;
        var body = $$"""[{"name":"rt.ttl","tags":{"k":"short"},"timestamp":{{t}},"value":1,"ttl":1},{"name":"rt.ttl","tags":{"k":"kept"},"timestamp":{{t}},"value":2}]""";
        using (var write = await server.PostAsync("/api/v1/open/datapoints", body)) Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
        var root = await QueryAsync("""{"name":"rt.ttl","group_by":[{"name":"tag","tags":["k"]}]}""", """ "start_relative":{"value":1,"unit":"hours"} """);
        var result = Assert.Single(Api.Results(root));
        Assert.Equal("kept", result.GetProperty("group_by")[1].GetProperty("group").GetProperty("k").GetString());
        Assert.Equal([2m], Api.Values(result).Select(v => v.Value));
    }

    [Fact]
    public async Task Non_numeric_values_come_back_raw_and_are_left_out_of_aggregation()
    {
        var t = H + 30 * S;
        var body = $$$"""[{"name":"rt.state","timestamp":{{{t}}},"value":"up"},{"name":"rt.state","timestamp":{{{t + 1}}},"value":{"n":1}},{"name":"rt.state","timestamp":{{{t + 2}}},"value":5}]""";
        using (var write = await server.PostAsync("/api/v1/open/datapoints", body)) Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
        var raw = Assert.Single(Api.Results(await QueryAsync("""{"name":"rt.state"}""")));
        Assert.Equal("""[[TIME,"up"],[TIME1,{"n":1}],[TIME2,5]]""".Replace("TIME2", (t + 2).ToString(CultureInfo.InvariantCulture))
            .Replace("TIME1", (t + 1).ToString(CultureInfo.InvariantCulture)).Replace("TIME", t.ToString(CultureInfo.InvariantCulture)),
            raw.GetProperty("values").GetRawText());
        var counted = await QueryAsync("""{"name":"rt.state","aggregators":[{"name":"count","sampling":{"value":1,"unit":"hours"}}]}""");
        AssertValues(Assert.Single(Api.Results(counted)), (30 * S + 2, 1));
        Assert.Equal(3, counted.GetProperty("queries")[0].GetProperty("sample_size").GetInt64());
    }

    [Fact]
    public async Task Get_with_query_and_several_metrics_and_query_tags()
    {
        await WriteAsync();
        var query = $$"""{"start_absolute":{{H}},"metrics":[{"name":"rt.cpu","limit":1},{"name":"rt.missing"}]}""";
        using var response = await server.Http.GetAsync("/api/v1/open/datapoints/query?query=" + Uri.EscapeDataString(query));
        var root = await Api.JsonAsync(response);
        AssertValues(Assert.Single(Api.Results(root, 0)), (0, 1));
        var missing = Assert.Single(Api.Results(root, 1));
        Assert.Equal("rt.missing", missing.GetProperty("name").GetString());
        Assert.Equal(0, missing.GetProperty("values").GetArrayLength());
        Assert.Equal(0, root.GetProperty("queries")[1].GetProperty("sample_size").GetInt64());

        using var tags = await server.PostAsync("/api/v1/open/datapoints/query/tags", query);
        var tagRoot = await Api.JsonAsync(tags);
        var result = Assert.Single(Api.Results(tagRoot));
        Assert.Equal("""{"dc":["east"],"host":["a","b"]}""", result.GetProperty("tags").GetRawText());
        Assert.Equal(0, result.GetProperty("values").GetArrayLength());
    }

    private static (long, double)[] Parse(string expected) => expected.Split(' ').Select(p =>
    {
        var parts = p.Split(':');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture) * S, double.Parse(parts[1], CultureInfo.InvariantCulture));
    }).ToArray();
}

public sealed class SqliteKairosRoundTripTests(SqliteServer server) : KairosRoundTripTests(server), IClassFixture<SqliteServer>;

public sealed class DynamoKairosRoundTripTests(DynamoServer server) : KairosRoundTripTests(server), IClassFixture<DynamoServer>;
