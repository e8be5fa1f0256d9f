using System.Text;
using Cimaa.Kairos;
using Cimaa.Metrics;

namespace Cimaa.Core.Tests.Kairos;

public class KairosRequestWriterTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static ValidMetric Point(string name, long ms, object value, params (string K, string V)[] tags) =>
        MetricValidation.Validate(new MetricInput(name, value, tags.Select(t => new KeyValuePair<object?, object?>(t.K, t.V)).ToList(),
            DateTimeOffset.FromUnixTimeMilliseconds(ms), "web"), Now);

    [Fact]
    public void A_write_body_has_one_entry_per_stream_in_first_seen_order_with_its_points_in_order()
    {
        var points = new[]
        {
            Point("cpu", 2000, 1.5m, ("host", "b"), ("dc", "x")),
            Point("cpu", 1000, "text", ("dc", "x"), ("host", "b")),
            Point("mem", 1000, 7),
            Point("cpu", 3000, new Dictionary<string, object> { ["a"] = 1 }, ("host", "b"), ("dc", "x")),
            Point("cpu", 1000, true, ("host", "c")),
        };
        var body = KairosRequestWriter.Write(points);
        Assert.Equal(
            """[{"name":"cpu","tags":{"dc":"x","host":"b"},"datapoints":[[2000,1.5],[1000,"text"],[3000,{"a":1}]]},""" +
            """{"name":"mem","tags":{},"datapoints":[[1000,7]]},{"name":"cpu","tags":{"host":"c"},"datapoints":[[1000,true]]}]""",
            Encoding.UTF8.GetString(body));

        var parsed = KairosWriteParser.Parse(body, "web", Now);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        var expected = points.OrderBy(p => p.Name == "cpu" && p.TagString == "host=c" ? 2 : p.Name == "mem" ? 1 : 0).ToList();
        Assert.Equal(expected.Select(p => (p.Name, p.TagString, p.TimestampMs, p.Number, p.Json)),
            parsed.Value!.Select(p => (p.Metric.Name, p.Metric.TagString, p.Metric.TimestampMs, p.Metric.Number, p.Metric.Json)));
    }

    [Fact]
    public void A_query_body_parses_back_into_the_same_query()
    {
        var query = new KairosQuery(1000, 5000,
        [
            new KairosMetricQuery("cpu", new Dictionary<string, string[]> { ["host"] = ["a", "b"], ["dc"] = ["x"] }, ["dc", "host"],
                [new KairosAggregator(KairosAggregatorName.Avg, 60_000, AlignSampling: true), new KairosAggregator(KairosAggregatorName.Rate, 1000)],
                Limit: 10, Descending: true, Downsample: new KairosDownsample(DownsampleFunction.Max, 300_000), Aggregate: AggregateFunction.Dev,
                ExcludeTags: true),
            new KairosMetricQuery("mem", null, [], []),
        ]);
        var body = KairosRequestWriter.Query(query);
        Assert.Equal(
            """{"start_absolute":1000,"end_absolute":5000,"metrics":[{"name":"cpu","tags":{"dc":["x"],"host":["a","b"]},"group_by":""" +
            """[{"name":"tag","tags":["dc","host"]}],"aggregators":[{"name":"avg","sampling":{"value":60000,"unit":"milliseconds"},"align_sampling":true},""" +
            """{"name":"rate","sampling":{"value":1000,"unit":"milliseconds"}}],"limit":10,"order":"desc","downsample":""" +
            """{"name":"max","sampling":{"value":300000,"unit":"milliseconds"}},"aggregate":"dev","exclude_tags":true},{"name":"mem"}]}""",
            Encoding.UTF8.GetString(body));
        var parsed = KairosQueryParser.Parse(body, Now);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        var back = parsed.Value!;
        Assert.Equal((1000L, 5000L), (back.StartMs, back.EndMs));
        var (a, b) = (query.Metrics[0], back.Metrics[0]);
        Assert.Equal((a.Name, a.Limit, a.Descending, a.Downsample, a.Aggregate, a.ExcludeTags), (b.Name, b.Limit, b.Descending, b.Downsample, b.Aggregate, b.ExcludeTags));
        Assert.Equal(a.GroupByTags, b.GroupByTags);
        Assert.Equal(a.Aggregators, b.Aggregators);
        Assert.Equal(a.Tags!.OrderBy(t => t.Key).Select(t => $"{t.Key}={string.Join(",", t.Value)}"), b.Tags!.OrderBy(t => t.Key).Select(t => $"{t.Key}={string.Join(",", t.Value)}"));
        Assert.Equal(("mem", (IReadOnlyDictionary<string, string[]>?)null, 0, 0), (back.Metrics[1].Name, back.Metrics[1].Tags, back.Metrics[1].GroupByTags.Count, back.Metrics[1].Aggregators.Count));
    }
}

public class KairosResponseReaderTests
{
    private static async Task<byte[]> Answer()
    {
        var output = new MemoryStream();
        await using (var w = new KairosResponseWriter(output))
        {
            w.StartQueries();
            w.StartQuery();
            await w.WriteResultAsync("cpu", ["host"], new Dictionary<string, string> { ["host"] = "a" },
                new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal) { ["host"] = new(["a"]) },
                Values(new KairosValue(1000, 1.5m), new KairosValue(2000, 0, "\"up\""), new KairosValue(3000, 0, """{"big":"__BIG__","n":[1,2]}""")));
            await w.EndQueryAsync("cpu", 3);
            w.StartQuery();
            await w.EndQueryAsync("mem", 0);
            await w.EndQueriesAsync();
        }
        // A value larger than the reader's first buffer, so that one [ms, v] pair spans several reads.
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(output.ToArray()).Replace("__BIG__", new string('x', 40_000)));
    }

    private static async IAsyncEnumerable<KairosValue> Values(params KairosValue[] values)
    {
        foreach (var v in values)
        {
            await Task.Yield();
            yield return v;
        }
    }

    private static async Task<List<string>> Read(Stream stream)
    {
        var lines = new List<string>();
        await foreach (var e in KairosResponseReader.ReadAsync(stream))
        {
            lines.Add(e.IsValue
                ? $"{e.Result.Query}:{e.Value.Time}={(e.Value.IsNumber ? e.Value.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : e.Value.Json!.Length > 50 ? e.Value.Json[..20] + "..." + e.Value.Json.Length : e.Value.Json)}"
                : $"{e.Result.Query}:{e.Result.Name} {string.Join(";", e.Result.Tags.Select(t => t.Key + "=" + string.Join(",", t.Value)))}");
        }
        return lines;
    }

    private static readonly string[] Expected =
    [
        "0:cpu host=a", "0:1000=1.5", "0:2000=\"up\"", "0:3000={\"big\":\"xxxxxxxxxxxx...40020", "1:mem ",
    ];

    [Fact]
    public async Task Results_and_values_are_read_in_order_from_a_whole_answer() =>
        Assert.Equal(Expected, await Read(new MemoryStream(await Answer())));

    [Fact]
    public async Task An_answer_that_arrives_a_few_bytes_at_a_time_reads_the_same() =>
        Assert.Equal(Expected, await Read(new TrickleStream(await Answer(), 7)));

    [Fact]
    public async Task Values_before_the_name_and_tags_are_held_until_the_result_is_known_and_other_keys_are_skipped()
    {
        var json = """{"other":{"x":[1,{"y":2}]},"queries":[{"sample_size":2,"results":[{"values":[[1,2],[3,"s"]],"group_by":[{"name":"type"}],"tags":{"k":"v"},"name":"n"}]}]}""";
        Assert.Equal(["0:n k=v", "0:1=2", "0:3=\"s\""], await Read(new TrickleStream(Encoding.UTF8.GetBytes(json), 3)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"queries":[{"results":[{"name":"n","values":[[1,2]""")]
    [InlineData("""{"queries":[{"results":[{"name":"n","values":[[1]]}]}]}""")]
    [InlineData("""{"queries":[{"results":[{"name":"n","values":[["t",1]]}]}]}""")]
    [InlineData("""{"queries":[{"results":[{"values":[]}]}]}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"queries":[{"results":[{"name":"n","values":[[1,2]]}]}]""")]
    public async Task A_malformed_answer_is_InvalidDataException(string json) =>
        await Assert.ThrowsAsync<InvalidDataException>(() => Read(new TrickleStream(Encoding.UTF8.GetBytes(json), 5)));
}

/// <summary>A stream that gives at most a few bytes per read, as a slow network does.</summary>
internal sealed class TrickleStream(byte[] data, int chunk) : Stream
{
    private int _position;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
