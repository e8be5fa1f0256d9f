using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Cimaa.Metrics;
using Cimaa.Storage;

namespace Cimaa.Bench.Server;

/// <summary>
/// 8 clients write 200,000 points in batches of 1,000 (50 streams): over HTTP (signed POST datapoints) against the same
/// batches written by Core directly (MetricValidation, then MetricService.WriteAsync, as Write-CimaaMetric does), 8 at a
/// time. Each run gets a fresh store; the order alternates.
/// </summary>
public static class WriteBench
{
    public const int Points = 200_000;
    public const int BatchSize = 1_000;
    public const int Clients = 8;
    public const int Streams = 50;
    private const string Name = "bench.write";

    public sealed record Result(double HttpMs, double DirectMs, IReadOnlyList<double> HttpRuns, IReadOnlyList<double> DirectRuns);

    public static async Task<Result> RunAsync(BenchStores stores, int runs)
    {
        var start = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 2 * 3600) * 1000;
        var batches = Enumerable.Range(0, Points / BatchSize).Select(b => Enumerable.Range(b * BatchSize, BatchSize)
            .Select(i => (Host: $"h{i % Streams:D2}", Time: start + i / Streams * 1000L, Value: (decimal)(i % 1000) / 10m)).ToArray()).ToArray();
        var inputs = batches.Select(b => b.Select(p => new MetricInput(Name, p.Value,
            [new KeyValuePair<object?, object?>("host", p.Host), new KeyValuePair<object?, object?>("dc", "eu")],
            DateTimeOffset.FromUnixTimeMilliseconds(p.Time), null)).ToList()).ToArray();
        var bodies = batches.Select(Json).ToArray();

        // Warm-up, untimed: JIT and first-use costs of both paths.
        await HttpRunAsync(await stores.FreshAsync(), bodies.Take(Clients).ToArray(), verify: false);
        await DirectRunAsync(await stores.FreshAsync(), inputs.Take(Clients).ToArray());

        var http = new List<double>();
        var direct = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            if (run % 2 == 0)
            {
                http.Add(await HttpRunAsync(await stores.FreshAsync(), bodies, verify: run == 0));
                direct.Add(await DirectRunAsync(await stores.FreshAsync(), inputs));
            }
            else
            {
                direct.Add(await DirectRunAsync(await stores.FreshAsync(), inputs));
                http.Add(await HttpRunAsync(await stores.FreshAsync(), bodies, verify: false));
            }
            Console.WriteLine($"  {stores.Kind} write run {run + 1}: HTTP {http[^1]:0} ms, direct {direct[^1]:0} ms");
        }
        return new Result(Stats.Median(http), Stats.Median(direct), http, direct);
    }

    private static byte[] Json((string Host, long Time, decimal Value)[] batch)
    {
        var sb = new StringBuilder("[");
        foreach (var stream in batch.GroupBy(p => p.Host))
        {
            if (sb.Length > 1) sb.Append(',');
            sb.Append("{\"name\":\"").Append(Name).Append("\",\"tags\":{\"host\":\"").Append(stream.Key).Append("\",\"dc\":\"eu\"},\"datapoints\":[");
            sb.AppendJoin(',', stream.Select(p => $"[{p.Time},{p.Value.ToString(CultureInfo.InvariantCulture)}]"));
            sb.Append("]}");
        }
        return Encoding.UTF8.GetBytes(sb.Append(']').ToString());
    }

    private static async Task<double> HttpRunAsync(ConnectionSettings settings, byte[][] bodies, bool verify)
    {
        await using var server = await BenchServer.StartAsync(settings);
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                using var response = await server.Http.SendAsync(server.Post("/api/v1/datapoints", bodies[i]));
                if (response.StatusCode != HttpStatusCode.NoContent)
                    throw new InvalidOperationException($"POST datapoints answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        })));
        var ms = sw.Elapsed.TotalMilliseconds;
        if (verify) await VerifyAsync(settings, bodies.Length * BatchSize);
        return ms;
    }

    private static async Task<double> DirectRunAsync(ConnectionSettings settings, List<MetricInput>[] inputs)
    {
        await using var store = StoreFactory.Open(settings);
        var service = (MetricService)store.Metrics;
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < inputs.Length)
                await service.WriteAsync(MetricValidation.Validate(inputs[i], DateTimeOffset.UtcNow), OpContext.None);
        })));
        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>Reads every point back through Core: the HTTP run wrote them all.</summary>
    private static async Task VerifyAsync(ConnectionSettings settings, int expected)
    {
        await using var store = StoreFactory.Open(settings);
        var count = 0;
        foreach (var (_, points) in await ((MetricService)store.Metrics).GetStreamsAsync(null, Name, 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, OpContext.None))
        {
            await foreach (var _ in points) count++;
        }
        if (count != expected) throw new InvalidOperationException($"The HTTP run stored {count} points, not {expected}.");
    }
}
