using System.Text;
using System.Text.Json;
using Cimaa.Kairos;

namespace Cimaa.Core.Tests.Kairos;

public class KairosResponseWriterTests
{
    private static async IAsyncEnumerable<KairosValue> Values(params KairosValue[] values)
    {
        foreach (var v in values)
        {
            await Task.Yield();
            yield return v;
        }
    }

    private static SortedDictionary<string, SortedSet<string>> Tags(params (string Key, string[] Values)[] tags) =>
        new(tags.ToDictionary(t => t.Key, t => new SortedSet<string>(t.Values, StringComparer.Ordinal)), StringComparer.Ordinal);

    [Fact]
    public async Task The_response_is_KairosDBs_with_sample_size_after_the_results()
    {
        var output = new MemoryStream();
        await using (var w = new KairosResponseWriter(output))
        {
            w.StartQueries();
            w.StartQuery();
            await w.WriteResultAsync("cpu", ["host"], new Dictionary<string, string> { ["host"] = "web1" }, Tags(("dc", ["east", "west"]), ("host", ["web1"])),
                Values(new KairosValue(1000, 1.5m), new KairosValue(2000, 0, """{"a":"é"}""")));
            await w.WriteResultAsync("cpu", ["host"], new Dictionary<string, string> { ["host"] = "web2" }, Tags(("host", ["web2"])), Values());
            await w.EndQueryAsync("cpu", 7);
            w.StartQuery();
            await w.WriteResultAsync("mem", [], null, null, Values(new KairosValue(5, -2m)));
            await w.EndQueryAsync("mem", 1);
            w.StartQuery();
            await w.EndQueryAsync("disk", 0);
            await w.EndQueriesAsync();
        }
        Assert.Equal(
            """{"queries":[{"results":[{"name":"cpu","group_by":[{"name":"type","type":"number"},{"name":"tag","tags":["host"],"group":{"host":"web1"}}],"tags":{"dc":["east","west"],"host":["web1"]},"values":[[1000,1.5],[2000,{"a":"é"}]]}],"sample_size":7},""" +
            """{"results":[{"name":"mem","group_by":[{"name":"type","type":"number"}],"tags":{},"values":[[5,-2]]}],"sample_size":1},""" +
            """{"results":[{"name":"disk","tags":{},"values":[]}],"sample_size":0}]}""",
            Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task The_tags_response_has_no_values_and_no_sample_size()
    {
        var output = new MemoryStream();
        await using (var w = new KairosResponseWriter(output))
        {
            w.StartQueries();
            w.StartQuery();
            w.WriteTagsResult("cpu", Tags(("host", ["web1", "web2"])));
            await w.EndQueryAsync("cpu", null);
            await w.EndQueriesAsync();
        }
        Assert.Equal("""{"queries":[{"results":[{"name":"cpu","tags":{"host":["web1","web2"]},"values":[]}]}]}""", Encoding.UTF8.GetString(output.ToArray()));
    }

    /// <summary>A stream that records how many bytes had arrived when the producer reached a given point.</summary>
    private sealed class CountingStream : MemoryStream
    {
        public long Written => Length;
    }

    [Fact]
    public async Task Values_stream_out_while_they_are_produced()
    {
        var output = new CountingStream();
        var seenMidway = -1L;
        async IAsyncEnumerable<KairosValue> Many()
        {
            for (var i = 0; i < 100_000; i++)
            {
                if (i == 50_000) seenMidway = output.Written;
                if (i % 1000 == 0) await Task.Yield();
                yield return new KairosValue(i, i);
            }
        }
        await using (var w = new KairosResponseWriter(output, flushBytes: 16 * 1024))
        {
            w.StartQueries();
            w.StartQuery();
            Assert.Equal(100_000, await w.WriteResultAsync("m", [], null, null, Many()));
            await w.EndQueryAsync("m", 100_000);
            await w.EndQueriesAsync();
        }
        // Half the values had already reached the stream (each is at least 8 bytes) before the producer was done.
        Assert.True(seenMidway > 50_000 * 8 - 16 * 1024, $"{seenMidway} bytes written at the midpoint");
        using var doc = JsonDocument.Parse(output.ToArray());
        Assert.Equal(100_000, doc.RootElement.GetProperty("queries")[0].GetProperty("results")[0].GetProperty("values").GetArrayLength());
    }

    [Fact]
    public void Small_bodies_are_source_generated_and_readable()
    {
        Assert.Equal("""{"errors":["metrics[0].order 'up' must be asc or desc","a \"quote\""]}""",
            Encoding.UTF8.GetString(KairosJson.Errors(["metrics[0].order 'up' must be asc or desc", "a \"quote\""])));
        Assert.Equal("""{"results":["cpu","mem"]}""", Encoding.UTF8.GetString(KairosJson.Results(["cpu", "mem"])));
        Assert.Equal("""{"version":"Cimaa 0.1.0"}""", Encoding.UTF8.GetString(KairosJson.Version("Cimaa 0.1.0")));
    }
}
