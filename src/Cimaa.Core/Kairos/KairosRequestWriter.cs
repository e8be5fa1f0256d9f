using System.Buffers;
using System.Text.Json;
using Cimaa.Metrics;

namespace Cimaa.Kairos;

/// <summary>
/// Writes the request bodies a client sends, in the form <see cref="KairosWriteParser"/> and <see cref="KairosQueryParser"/>
/// read: a write body (the points of each stream as one <c>datapoints</c> array) and a query body (the parsed model written
/// back, so that parsing what was written gives the same query).
/// </summary>
public static class KairosRequestWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = KairosJson.Encoder };

    /// <summary>
    /// <c>[{"name","tags":{k:v},"datapoints":[[ms,v],..]},..]</c>: one entry per stream (name and tags), in the order the streams
    /// first appear, each stream's points in the order given. Numbers are written as JSON numbers, other values as their JSON.
    /// </summary>
    public static byte[] Write(IEnumerable<ValidMetric> points)
    {
        var streams = new Dictionary<(string, string), List<ValidMetric>>();
        var order = new List<List<ValidMetric>>();
        foreach (var p in points)
        {
            if (!streams.TryGetValue((p.Name, p.TagString), out var list))
            {
                streams[(p.Name, p.TagString)] = list = [];
                order.Add(list);
            }
            list.Add(p);
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartArray();
            foreach (var stream in order)
            {
                json.WriteStartObject();
                json.WriteString("name", stream[0].Name);
                json.WritePropertyName("tags");
                json.WriteStartObject();
                foreach (var (k, v) in stream[0].Tags) json.WriteString(k, v);
                json.WriteEndObject();
                json.WritePropertyName("datapoints");
                json.WriteStartArray();
                foreach (var p in stream)
                {
                    json.WriteStartArray();
                    json.WriteNumberValue(p.TimestampMs);
                    if (p.Number is { } n) json.WriteNumberValue(MetricValues.ParseNumber(n));
                    else json.WriteRawValue(p.Json!, skipInputValidation: false);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>{"start_absolute","end_absolute","metrics":[..]}</c>. Each metric writes only what it sets: <c>tags</c> (arrays),
    /// <c>group_by</c> (one tag grouper), <c>aggregators</c> (sampling in milliseconds), <c>limit</c>, <c>order</c> (desc only),
    /// Amondawa's <c>downsample</c> and <c>aggregate</c>, and <c>exclude_tags</c>.
    /// </summary>
    public static byte[] Query(KairosQuery query)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("start_absolute", query.StartMs);
            json.WriteNumber("end_absolute", query.EndMs);
            json.WritePropertyName("metrics");
            json.WriteStartArray();
            foreach (var m in query.Metrics) Metric(json, m);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Metric(Utf8JsonWriter json, KairosMetricQuery m)
    {
        json.WriteStartObject();
        json.WriteString("name", m.Name);
        if (m.Tags is { Count: > 0 } tags)
        {
            json.WritePropertyName("tags");
            json.WriteStartObject();
            foreach (var (k, values) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                json.WritePropertyName(k);
                json.WriteStartArray();
                foreach (var v in values) json.WriteStringValue(v);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        if (m.GroupByTags.Count > 0)
        {
            json.WritePropertyName("group_by");
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("name", "tag");
            json.WritePropertyName("tags");
            json.WriteStartArray();
            foreach (var t in m.GroupByTags) json.WriteStringValue(t);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }
        if (m.Aggregators.Count > 0)
        {
            json.WritePropertyName("aggregators");
            json.WriteStartArray();
            foreach (var a in m.Aggregators) Aggregator(json, a);
            json.WriteEndArray();
        }
        if (m.Limit is { } limit) json.WriteNumber("limit", limit);
        if (m.Descending) json.WriteString("order", "desc");
        if (m.Downsample is { } ds)
        {
            json.WritePropertyName("downsample");
            json.WriteStartObject();
            json.WriteString("name", ds.Function.ToString().ToLowerInvariant());
            Sampling(json, "sampling", ds.WindowMs);
            json.WriteEndObject();
        }
        if (m.Aggregate is { } fn) json.WriteString("aggregate", fn.ToString().ToLowerInvariant());
        if (m.ExcludeTags) json.WriteBoolean("exclude_tags", true);
        json.WriteEndObject();
    }

    private static void Aggregator(Utf8JsonWriter json, KairosAggregator a)
    {
        json.WriteStartObject();
        json.WriteString("name", a.Name.ToString().ToLowerInvariant());
        Sampling(json, "sampling", a.SamplingMs);
        if (a.AlignSampling) json.WriteBoolean("align_sampling", true);
        if (a.AlignStartTime) json.WriteBoolean("align_start_time", true);
        if (a.AlignEndTime) json.WriteBoolean("align_end_time", true);
        json.WriteEndObject();
    }

    private static void Sampling(Utf8JsonWriter json, string name, long ms)
    {
        json.WritePropertyName(name);
        json.WriteStartObject();
        json.WriteNumber("value", ms);
        json.WriteString("unit", "milliseconds");
        json.WriteEndObject();
    }
}
