using System.Text.Json;

namespace Cimaa.Kairos;

/// <summary>
/// Writes <c>{"queries":[{"results":[..],"sample_size":N},..]}</c> to a stream as the values come, flushing every
/// <c>flushBytes</c>, so a large result is never held whole. <c>sample_size</c> is written after the results, once it is
/// known (JSON objects are unordered; KairosDB writes it first). A result is
/// <c>{"name","group_by":[{"name":"type","type":"number"},{"name":"tag","tags":[..],"group":{..}}],"tags":{k:[v..]},"values":[[ms,v],..]}</c>;
/// a group with no values is left out, and a query with no result gets <c>{"name","tags":{},"values":[]}</c>, as KairosDB writes them.
/// Call in order: StartQueries, then per query StartQuery, WriteResultAsync (or WriteTagsResult) for each group, EndQueryAsync;
/// then EndQueriesAsync.
/// </summary>
public sealed class KairosResponseWriter(Stream output, int flushBytes = 32 * 1024) : IAsyncDisposable
{
    private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { Encoder = KairosJson.Encoder });
    private int _resultsInQuery;

    public void StartQueries()
    {
        _json.WriteStartObject();
        _json.WritePropertyName("queries");
        _json.WriteStartArray();
    }

    public void StartQuery()
    {
        _json.WriteStartObject();
        _json.WritePropertyName("results");
        _json.WriteStartArray();
        _resultsInQuery = 0;
    }

    /// <summary>Writes one result if <paramref name="values"/> has any; returns how many values were written.</summary>
    /// <param name="groupByTags">The group_by tags (empty for none).</param>
    /// <param name="group">The group's values of those tags (null for none).</param>
    /// <param name="tags">Every tag key of the group with its values; null writes <c>{}</c> (exclude_tags).</param>
    public async Task<long> WriteResultAsync(string name, IReadOnlyList<string> groupByTags, IReadOnlyDictionary<string, string>? group,
        IEnumerable<KeyValuePair<string, SortedSet<string>>>? tags, IAsyncEnumerable<KairosValue> values, CancellationToken ct = default)
    {
        long count = 0;
        await foreach (var v in values.WithCancellation(ct).ConfigureAwait(false))
        {
            if (count++ == 0)
            {
                _json.WriteStartObject();
                _json.WriteString("name", name);
                WriteGroupBy(groupByTags, group);
                WriteTags(tags);
                _json.WritePropertyName("values");
                _json.WriteStartArray();
            }
            _json.WriteStartArray();
            _json.WriteNumberValue(v.Time);
            if (v.Json is null) _json.WriteNumberValue(v.Number);
            else _json.WriteRawValue(v.Json, skipInputValidation: true);
            _json.WriteEndArray();
            if (_json.BytesPending >= flushBytes) await _json.FlushAsync(ct).ConfigureAwait(false);
        }
        if (count > 0)
        {
            _json.WriteEndArray();
            _json.WriteEndObject();
            _resultsInQuery++;
        }
        return count;
    }

    /// <summary>A result of datapoints/query/tags: <c>{"name","tags":{..},"values":[]}</c>.</summary>
    public void WriteTagsResult(string name, IEnumerable<KeyValuePair<string, SortedSet<string>>> tags)
    {
        _json.WriteStartObject();
        _json.WriteString("name", name);
        WriteTags(tags);
        _json.WritePropertyName("values");
        _json.WriteStartArray();
        _json.WriteEndArray();
        _json.WriteEndObject();
        _resultsInQuery++;
    }

    /// <summary>Ends a query's results (with an empty result for <paramref name="name"/> if none was written) and writes sample_size if given.</summary>
    public async Task EndQueryAsync(string name, long? sampleSize, CancellationToken ct = default)
    {
        if (_resultsInQuery == 0)
        {
            _json.WriteStartObject();
            _json.WriteString("name", name);
            WriteTags([]);
            _json.WritePropertyName("values");
            _json.WriteStartArray();
            _json.WriteEndArray();
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
        if (sampleSize is { } n) _json.WriteNumber("sample_size", n);
        _json.WriteEndObject();
        await _json.FlushAsync(ct).ConfigureAwait(false);
    }

    public async Task EndQueriesAsync(CancellationToken ct = default)
    {
        _json.WriteEndArray();
        _json.WriteEndObject();
        await _json.FlushAsync(ct).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _json.DisposeAsync();

    private void WriteGroupBy(IReadOnlyList<string> groupByTags, IReadOnlyDictionary<string, string>? group)
    {
        _json.WritePropertyName("group_by");
        _json.WriteStartArray();
        _json.WriteStartObject();
        _json.WriteString("name", "type");
        _json.WriteString("type", "number");
        _json.WriteEndObject();
        if (groupByTags.Count > 0)
        {
            _json.WriteStartObject();
            _json.WriteString("name", "tag");
            _json.WritePropertyName("tags");
            _json.WriteStartArray();
            foreach (var t in groupByTags) _json.WriteStringValue(t);
            _json.WriteEndArray();
            _json.WritePropertyName("group");
            _json.WriteStartObject();
            foreach (var t in groupByTags) _json.WriteString(t, group?.GetValueOrDefault(t) ?? "");
            _json.WriteEndObject();
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
    }

    private void WriteTags(IEnumerable<KeyValuePair<string, SortedSet<string>>>? tags)
    {
        _json.WritePropertyName("tags");
        _json.WriteStartObject();
        foreach (var (k, values) in tags ?? [])
        {
            _json.WritePropertyName(k);
            _json.WriteStartArray();
            foreach (var v in values) _json.WriteStringValue(v);
            _json.WriteEndArray();
        }
        _json.WriteEndObject();
    }
}
