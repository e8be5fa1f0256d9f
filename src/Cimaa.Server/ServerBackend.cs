using System.Runtime.CompilerServices;
using Cimaa.AccessKeys;
using Cimaa.Kairos;
using Cimaa.Metrics;
using Cimaa.Storage;

namespace Cimaa.Server;

/// <summary>One stream of a metric: its tags, and its values in time order, read when enumerated.</summary>
public sealed record MetricStreamValues(IReadOnlyDictionary<string, string> Tags, IAsyncEnumerable<KairosValue> Values);

/// <summary>
/// The server's only door into Core: every handler goes through here, so that the rest of the server knows no store type.
/// It holds the Core client of the server's store (the services and their caches, built by <see cref="StoreFactory"/>); one
/// per process, shared by every request (the client and its services are thread-safe).
/// </summary>
public sealed class ServerBackend : IAsyncDisposable
{
    private const string HealthProbeMetric = "cimaa.health";
    private readonly CimaaClient _client;
    private readonly MetricService _metrics;
    private readonly SemaphoreSlim _writers;

    private ServerBackend(CimaaClient client, MetricService metrics)
    {
        _client = client;
        _metrics = metrics;
        // As many writes at once as the backend takes (SQLite: one writer): the others wait here without holding a thread,
        // instead of in SQLite's busy handler.
        _writers = new SemaphoreSlim(Math.Max(1, client.Stores.Faults.WriteConcurrency));
    }

    /// <summary>
    /// Opens the client of the store (an SQLite file is created now, so a bad path fails at start-up). The server runs over a
    /// store only: a Server connection (a server in front of another) is NotSupportedByConnection.
    /// </summary>
    public static ServerBackend Open(ConnectionSettings settings)
    {
        var client = StoreFactory.Open(settings);
        if (client.Metrics is MetricService metrics) return new ServerBackend(client, metrics);
        client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        throw Storage.Http.ServerSettings.NotSupported(settings, "The metrics server");
    }

    /// <summary>The store, as the start-up line names it (never a secret).</summary>
    public string Description => _client.Settings.ToString();

    public async Task WriteAsync(IReadOnlyList<KairosWritePoint> points, OpContext op)
    {
        var metrics = new ValidMetric[points.Count];
        long?[]? ttl = null;
        for (var i = 0; i < points.Count; i++)
        {
            metrics[i] = points[i].Metric;
            if (points[i].TtlSeconds is { } t) (ttl ??= new long?[points.Count])[i] = t;
        }
        await _writers.WaitAsync(op.Token).ConfigureAwait(false);
        try
        {
            await _metrics.WritePointsAsync(metrics, ttl, op).ConfigureAwait(false);
        }
        finally
        {
            _writers.Release();
        }
    }

    /// <summary>The matching streams of one metric, sorted by tagstring; their values are read only when enumerated.</summary>
    public async Task<IReadOnlyList<MetricStreamValues>> StreamsAsync(string domain, string name, long startMs, long endMs,
        IReadOnlyDictionary<string, string[]>? tags, OpContext op)
    {
        var streams = await _metrics.GetStreamsAsync(domain, name, startMs, endMs, tags, op).ConfigureAwait(false);
        return streams.Select(s => new MetricStreamValues(s.Tags, Values(s.Points, op.Token))).ToList();
    }

    public IAsyncEnumerable<string> MetricNamesAsync(string domain, OpContext op) => _metrics.GetNamesAsync(domain, op);

    public IAsyncEnumerable<MetricTag> TagsAsync(string domain, string name, OpContext op) => _metrics.GetTagsAsync(name, domain, op);

    /// <summary>Throws unless the store answers a query (one index query on a metric no one writes).</summary>
    public async Task CheckAsync(OpContext op)
    {
        await foreach (var _ in _metrics.GetTagsAsync(HealthProbeMetric, MetricValidation.DefaultDomain, op).ConfigureAwait(false)) { }
    }

    /// <summary>
    /// Every access key as the verifier needs it, read from the store's credentials table (<c>client.AccessKeys</c>, the
    /// table New-CimaaAccessKey writes): the source of <see cref="AccessKeyCache"/>.
    /// </summary>
    public IAsyncEnumerable<AccessKeyRecord> ReadAccessKeysAsync(CancellationToken ct) =>
        _client.AccessKeys.GetRecordsAsync(new OpContext(NullOperationLog.Instance, ct));

    /// <summary>The status page from Core's renderer, with the refresh script, as UTF-8 in memory (under 2 MB at 5,000 faults).</summary>
    public async Task<MemoryStream> RenderReportAsync(Report.ReportRequest request, OpContext op)
    {
        var model = await _client.Report.BuildAsync(request, op).ConfigureAwait(false);
        var page = new MemoryStream(256 * 1024);
        using (var writer = new StreamWriter(page, new System.Text.UTF8Encoding(false), 64 * 1024, leaveOpen: true))
        {
            Report.ReportHtml.Write(writer, model, Report.ReportHtml.Options.Served);
        }
        return page;
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static async IAsyncEnumerable<KairosValue> Values(IAsyncEnumerable<(long Time, string? Number, string? Json)> points,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var (time, number, json) in points.WithCancellation(ct).ConfigureAwait(false))
            yield return number is not null ? new KairosValue(time, MetricValues.ParseNumber(number)) : new KairosValue(time, 0m, json ?? "null");
    }
}
