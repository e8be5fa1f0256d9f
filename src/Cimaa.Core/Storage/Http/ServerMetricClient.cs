using System.Collections.Specialized;
using Cimaa.AccessKeys;
using Cimaa.Kairos;
using Cimaa.Metrics;

namespace Cimaa.Storage.Http;

/// <summary>
/// The metric cmdlets through a Cimaa metrics server (server.md): KairosDB requests under <c>/api/v1/&lt;domain&gt;/</c>,
/// signed with the connection's access key (<see cref="ServerRequester"/>), bodies written and answers read with the Kairos
/// wire pieces. Rules that need the store (index, expiry, aggregation) run in the server, on the same Core code.
/// <list type="bullet">
/// <item>Writes: one POST <c>datapoints</c> per domain, split into bodies of at most <see cref="MaxPointsPerBody"/> points
/// and about <see cref="MaxBytesPerBody"/> bytes.</item>
/// <item>Raw and downsampled queries: the query's streams are told apart by grouping on every tag key the metric has, which
/// a first POST <c>datapoints/query/tags</c> lists; each result is then one stream. Aggregated queries: one POST, no grouping.</item>
/// </list>
/// </summary>
public sealed class ServerMetricClient : IMetricClient, IDisposable
{
    public const int MaxPointsPerBody = 10_000;
    public const int MaxBytesPerBody = 1024 * 1024;

    /// <summary>The end of time as the write parser knows it (9999-12-31): the range of a tag listing, which has no time range.</summary>
    private const long EndOfTimeMs = 253_402_300_799_999;

    private readonly ServerRequester _requester;
    private readonly TimeProvider _clock;

    public ServerMetricClient(ConnectionSettings settings, HttpMessageHandler? handler = null)
    {
        ServerSettings.Validate(settings);
        _clock = settings.Clock;
        _requester = new ServerRequester(settings, Requests, handler);
    }

    /// <summary>Requests sent, by operation (WriteDatapoints, QueryDatapoints, QueryTags, MetricNames).</summary>
    public RequestCounter Requests { get; } = new();

    /// <inheritdoc/>
    public MetricQuery CreateQuery(IReadOnlyList<string> names, object? start, object? end, string domain, IReadOnlyDictionary<string, string[]>? tags,
        TimeSpan? downsample, string downsampleFunction = "avg", string? aggregate = null) =>
        MetricQuery.Create(_clock, names, start, end, domain, tags, downsample, downsampleFunction, aggregate);

    public async Task<IReadOnlyList<DataPoint>> WriteAsync(IReadOnlyList<ValidMetric> metrics, OpContext op)
    {
        var domains = metrics.GroupBy(m => m.Domain, StringComparer.Ordinal).ToList();
        foreach (var d in domains) CheckDomain(d.Key, ErrorIds.InvalidMetric);
        foreach (var domain in domains)
        {
            foreach (var body in Bodies(domain.ToList()))
            {
                op.Log.Verbose($"Writing {body.Count} datapoints of domain '{domain.Key}' to {_requester.UrlText}");
                using var _ = await _requester.SendAsync(HttpMethod.Post, domain.Key, "datapoints", KairosRequestWriter.Write(body),
                    "WriteDatapoints", op);
            }
        }
        return metrics.Select(MetricService.ToDataPoint).ToList();
    }

    public async IAsyncEnumerable<DataPoint> QueryAsync(MetricQuery query, OpContext op)
    {
        var domain = CheckDomain(MetricValidation.CheckDomain(query.Domain), ErrorIds.InvalidMetric);
        var names = query.Names.Select(n => MetricValidation.CheckName(n)).Distinct(StringComparer.Ordinal).ToList();
        var startMs = Math.Max(0, query.Start.ToUnixTimeMilliseconds());
        var endMs = query.End.ToUnixTimeMilliseconds();
        KairosDownsample? downsample = null;
        if (query.Downsample is { } ds)
        {
            var windowMs = (long)ds.TotalMilliseconds;
            if (windowMs <= 0)
                throw new CimaaException(ErrorIds.InvalidTime, CimaaErrorCategory.InvalidArgument, $"The downsample window {ds} is not positive.", ds);
            downsample = new KairosDownsample(query.DownsampleFunction, windowMs);
        }
        // A tag given with no values matches nothing, and KairosDB has no way to say so.
        if (names.Count == 0 || endMs < startMs || query.Tags?.Any(t => t.Value.Length == 0) == true) yield break;

        var aggregated = query.Aggregate is not null;
        var groupBy = aggregated ? null : await TagKeysAsync(domain, names, startMs, endMs, query.Tags, op);
        var metrics = names.Select((name, i) => new KairosMetricQuery(name, query.Tags, groupBy?[i] ?? [], [], Downsample: downsample,
            Aggregate: query.Aggregate)).ToList();
        op.Log.Verbose($"Querying {string.Join(", ", names)} of domain '{domain}' at {_requester.UrlText}");
        using var response = await _requester.SendAsync(HttpMethod.Post, domain, "datapoints/query",
            KairosRequestWriter.Query(new KairosQuery(startMs, endMs, metrics)), "QueryDatapoints", op);
        await using var body = await response.Content.ReadAsStreamAsync(op.Token);
        KairosResultHeader? current = null;
        var name = "";
        IReadOnlyDictionary<string, string[]> tags = new Dictionary<string, string[]>();
        var single = false;
        await foreach (var e in _requester.Read(KairosResponseReader.ReadAsync(body, op.Token), op.Token))
        {
            if (!ReferenceEquals(e.Result, current))
            {
                current = e.Result;
                name = e.Result.Query < names.Count ? names[e.Result.Query] : e.Result.Name;
                tags = e.Result.Tags;
                // A result of one stream lists one value per key: its tags. An aggregated result keeps every value.
                single = !aggregated && tags.Values.All(v => v.Length == 1);
            }
            if (!e.IsValue) continue;
            yield return new DataPoint
            {
                Domain = domain,
                Name = name,
                Tags = single ? Single(tags) : Multi(tags),
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(e.Value.Time),
                Value = e.Value.IsNumber ? e.Value.Number : MetricValues.FromJson(e.Value.Json!),
            };
        }
    }

    public async IAsyncEnumerable<string> GetNamesAsync(string? domain, OpContext op)
    {
        var d = CheckDomain(MetricValidation.CheckDomain(domain), ErrorIds.InvalidMetric);
        op.Log.Verbose($"Reading the metric names of domain '{d}' from {_requester.UrlText}");
        using var response = await _requester.SendAsync(HttpMethod.Get, d, "metricnames", null, "MetricNames", op);
        var results = await _requester.ReadResultsAsync(response, op.Token);
        foreach (var name in results.Order(StringComparer.Ordinal)) yield return name;
    }

    public async IAsyncEnumerable<MetricTag> GetTagsAsync(string name, string? domain, OpContext op)
    {
        var d = CheckDomain(MetricValidation.CheckDomain(domain), ErrorIds.InvalidMetric);
        name = MetricValidation.CheckName(name);
        var keys = await TagsAsync(d, [name], 0, EndOfTimeMs, null, op);
        foreach (var (key, values) in keys[0]) yield return new MetricTag { Domain = d, Name = name, Key = key, Values = values };
    }

    public void Dispose() => _requester.Dispose();

    /// <summary>For each name, the sorted tag keys of its streams in the range (the group_by of a raw query).</summary>
    private async Task<List<IReadOnlyList<string>>> TagKeysAsync(string domain, List<string> names, long startMs, long endMs,
        IReadOnlyDictionary<string, string[]>? filter, OpContext op) =>
        (await TagsAsync(domain, names, startMs, endMs, filter, op)).Select(t => (IReadOnlyList<string>)t.Keys.ToList()).ToList();

    /// <summary>POST datapoints/query/tags: for each name, every tag key with its values (merged over the name's results).</summary>
    private async Task<List<SortedDictionary<string, string[]>>> TagsAsync(string domain, List<string> names, long startMs, long endMs,
        IReadOnlyDictionary<string, string[]>? filter, OpContext op)
    {
        var query = new KairosQuery(startMs, endMs, names.Select(n => new KairosMetricQuery(n, filter, [], [])).ToList());
        using var response = await _requester.SendAsync(HttpMethod.Post, domain, "datapoints/query/tags", KairosRequestWriter.Query(query),
            "QueryTags", op);
        await using var body = await response.Content.ReadAsStreamAsync(op.Token);
        var sets = names.Select(_ => new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal)).ToList();
        await foreach (var e in _requester.Read(KairosResponseReader.ReadAsync(body, op.Token), op.Token))
        {
            if (e.IsValue || e.Result.Query < 0 || e.Result.Query >= names.Count) continue;
            foreach (var (k, values) in e.Result.Tags)
            {
                if (!sets[e.Result.Query].TryGetValue(k, out var set)) sets[e.Result.Query][k] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.UnionWith(values);
            }
        }
        return sets.Select(s => new SortedDictionary<string, string[]>(s.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), StringComparer.Ordinal))
            .ToList();
    }

    /// <summary>Splits one domain's points into bodies of at most MaxPointsPerBody points and about MaxBytesPerBody bytes.</summary>
    private static IEnumerable<List<ValidMetric>> Bodies(List<ValidMetric> points)
    {
        var body = new List<ValidMetric>();
        long bytes = 0;
        foreach (var p in points)
        {
            var size = 48L + p.Name.Length + p.TagString.Length + (p.Number?.Length ?? p.Json!.Length);
            if (body.Count > 0 && (body.Count == MaxPointsPerBody || bytes + size > MaxBytesPerBody))
            {
                yield return body;
                body = [];
                bytes = 0;
            }
            body.Add(p);
            bytes += size;
        }
        if (body.Count > 0) yield return body;
    }

    /// <summary>A domain must be one the server's paths can name: 1-64 characters of [A-Za-z0-9_.-].</summary>
    private static string CheckDomain(string domain, string errorId)
    {
        if (Permission.IsDomain(domain)) return domain;
        throw new CimaaException(errorId, CimaaErrorCategory.InvalidArgument,
            $"The domain '{domain}' cannot be reached through a metrics server: a domain there is 1-64 characters of A-Z, a-z, 0-9, '_', '.' and '-'.",
            domain);
    }

    private static OrderedDictionary Single(IReadOnlyDictionary<string, string[]> tags)
    {
        var d = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var (k, v) in tags) d[k] = v[0];
        return d;
    }

    private static OrderedDictionary Multi(IReadOnlyDictionary<string, string[]> tags)
    {
        var d = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var (k, v) in tags) d[k] = (string[])v.Clone();
        return d;
    }
}
