using System.Diagnostics;
using System.Net;
using System.Text;
using Cimaa.Metrics;
using Cimaa.Storage;

namespace Cimaa.Bench.Server;

/// <summary>
/// Latency of a 1-hour query with 1-minute averages over 50 streams (one point every 10 s: 18,000 points), 8 clients at once:
/// over HTTP (signed POST datapoints/query, the whole response read) against the direct query through Core
/// (MetricService.QueryAsync with a 1-minute avg downsample and an avg aggregate, as Get-CimaaMetric does it), every result
/// enumerated. Each client runs its queries one after another; the modes alternate.
/// </summary>
public static class QueryBench
{
    public const int Streams = 50;
    public const int Clients = 8;
    public const int QueriesPerClient = 25;
    private const string Name = "bench.query";

    public sealed record Result(double HttpP50, double HttpP99, double DirectP50, double DirectP99, int Queries, int HttpFailed, int DirectFailed);

    public static async Task<Result> RunAsync(BenchStores stores, int runs)
    {
        var settings = await stores.FreshAsync();
        var end = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        var start = end.AddHours(-1);
        await using (var store = StoreFactory.Open(settings))
        {
            var service = (MetricService)store.Metrics;
            var points = Enumerable.Range(0, Streams * 360).Select(i => new MetricInput(Name, (decimal)(i % 97),
                [new KeyValuePair<object?, object?>("host", $"h{i % Streams:D2}")], start.AddSeconds(i / Streams * 10), null)).ToList();
            foreach (var chunk in points.Chunk(1000)) await service.WriteAsync(MetricValidation.Validate(chunk, DateTimeOffset.UtcNow), OpContext.None);
        }
        var body = Encoding.UTF8.GetBytes($$"""
            {"start_absolute":{{start.ToUnixTimeMilliseconds()}},"end_absolute":{{end.ToUnixTimeMilliseconds() - 1}},
             "metrics":[{"name":"{{Name}}","aggregators":[{"name":"avg","sampling":{"value":1,"unit":"minutes"},"align_sampling":true}]}]}
            """);
        var query = new MetricQuery([Name], start, end.AddMilliseconds(-1), Downsample: TimeSpan.FromMinutes(1), Aggregate: AggregateFunction.Avg);

        await using var server = await BenchServer.StartAsync(settings);
        await using var direct = StoreFactory.Open(settings);
        var service2 = (MetricService)direct.Metrics;

        async Task<double> Http()
        {
            var sw = Stopwatch.StartNew();
            using var response = await server.Http.SendAsync(server.Post("/api/v1/datapoints/query", body));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || !text.Contains($"\"sample_size\":{Streams * 360}", StringComparison.Ordinal))
                throw new InvalidOperationException($"The query answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
            return sw.Elapsed.TotalMilliseconds;
        }

        async Task<double> Direct()
        {
            var sw = Stopwatch.StartNew();
            var n = 0;
            await foreach (var _ in service2.QueryAsync(query, OpContext.None)) n++;
            if (n != 60) throw new InvalidOperationException($"The direct query gave {n} windows, not 60.");
            return sw.Elapsed.TotalMilliseconds;
        }

        for (var i = 0; i < 10; i++)
        {
            await Http();
            await Direct();
        }
        var http = new List<double>();
        var core = new List<double>();
        int httpFailed = 0, directFailed = 0;
        for (var run = 0; run < runs; run++)
        {
            if (run % 2 == 0)
            {
                httpFailed += await Concurrent(Http, http);
                directFailed += await Concurrent(Direct, core);
            }
            else
            {
                directFailed += await Concurrent(Direct, core);
                httpFailed += await Concurrent(Http, http);
            }
            Console.WriteLine($"  {stores.Kind} query run {run + 1}: HTTP p50 {Stats.Median(http):0.0} ms, direct p50 {Stats.Median(core):0.0} ms");
        }
        return new Result(Stats.Median(http), Stats.Percentile(http, 0.99), Stats.Median(core), Stats.Percentile(core, 0.99),
            Clients * QueriesPerClient * runs, httpFailed, directFailed);
    }

    /// <summary>Runs the clients; adds the latencies of the queries that succeeded, and returns how many failed (each is printed).</summary>
    private static async Task<int> Concurrent(Func<Task<double>> one, List<double> latencies)
    {
        var failed = 0;
        var all = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>(QueriesPerClient);
            for (var i = 0; i < QueriesPerClient; i++)
            {
                try
                {
                    mine.Add(await one());
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or CimaaException or IOException)
                {
                    Interlocked.Increment(ref failed);
                    Console.Error.WriteLine($"  query failed: {e.GetType().Name}: {e.Message}");
                }
            }
            return mine;
        })));
        latencies.AddRange(all.SelectMany(l => l));
        return failed;
    }
}
