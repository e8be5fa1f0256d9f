using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Cimaa.Metrics;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Bench.Server;

/// <summary>
/// A query returning 1,000,000 raw points (10 streams of 100,000, merged into one result) from the server running as a
/// process of its own on an SQLite file, while its resident set (VmRSS in /proc) is sampled every 20 ms. Growth = the
/// highest sample minus the resident set after a warm-up query. The points are written through Core first, so the server
/// process has done nothing but answer queries.
/// </summary>
public static class MemoryBench
{
    public const int Streams = 10;
    public const int PerStream = 100_000;
    private const string Name = "bench.memory";

    public sealed record Result(long BaselineBytes, long PeakBytes, long HighWaterBytes, long ResponseBytes, long SampleSize, double Seconds);

    public static async Task<Result> RunAsync(TempDir dir)
    {
        var db = dir.File("memory.db");
        var settings = new ConnectionSettings { Kind = StoreKind.Local, Path = db };
        var start = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - PerStream - 60) * 1000;
        await using (var store = StoreFactory.Open(settings))
        {
            var service = (MetricService)store.Metrics;
            var now = DateTimeOffset.UtcNow;
            for (var j0 = 0; j0 < PerStream; j0 += 1000)
            {
                var chunk = new List<ValidMetric>(Streams * 1000);
                for (var s = 0; s < Streams; s++)
                {
                    for (var j = j0; j < j0 + 1000; j++)
                        chunk.Add(MetricValidation.Validate(new MetricInput(Name, (decimal)(j % 1000),
                            [new KeyValuePair<object?, object?>("host", $"h{s}")], DateTimeOffset.FromUnixTimeMilliseconds(start + j * 1000L), null), now));
                }
                await service.WritePointsAsync(chunk, null, OpContext.None);
            }
        }

        var port = DynaliteServer.FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Cimaa.Server.dll"), "--db", db, "--anonymous", "default:r", "--urls", $"http://127.0.0.1:{port}" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
            await WaitHealthyAsync(http, process);
            var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var all = $$"""{"start_absolute":{{start}},"end_absolute":{{end}},"metrics":[{"name":"{{Name}}"}]}""";
            for (var i = 0; i < 3; i++) await QueryAsync(http, all.Replace("}]}", ",\"limit\":10000}]}", StringComparison.Ordinal));
            await Task.Delay(1000);
            var baseline = Resident(process.Id, "VmRSS:");

            long peak = baseline;
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Resident(process.Id, "VmRSS:"));
                    try { await Task.Delay(20, stop.Token); } catch (OperationCanceledException) { }
                }
            });
            var sw = Stopwatch.StartNew();
            var (bytes, tail) = await QueryAsync(http, all);
            var seconds = sw.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            await sampler;
            peak = Math.Max(peak, Resident(process.Id, "VmRSS:"));
            var marker = "\"sample_size\":";
            var at = tail.LastIndexOf(marker, StringComparison.Ordinal);
            var sampleSize = at < 0 ? -1 : long.Parse(new string(tail[(at + marker.Length)..].TakeWhile(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
            if (sampleSize != (long)Streams * PerStream) throw new InvalidOperationException($"The query read {sampleSize} points: ...{tail}");
            return new Result(baseline, peak, Resident(process.Id, "VmHWM:"), bytes, sampleSize, seconds);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process process)
    {
        for (var i = 0; i < 600; i++)
        {
            if (process.HasExited) throw new InvalidOperationException("The server process exited.");
            try
            {
                using var r = await http.GetAsync("/api/v1/health/check");
                if (r.StatusCode == HttpStatusCode.NoContent) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The server did not answer.");
    }

    /// <summary>Reads the whole response as it streams; returns its size and its last 200 characters.</summary>
    private static async Task<(long Bytes, string Tail)> QueryAsync(HttpClient http, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/datapoints/query") { Content = new StringContent(query, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"The query answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        var tail = new Queue<byte>(200);
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            total += n;
            foreach (var b in buffer.AsSpan(Math.Max(0, n - 200), Math.Min(n, 200)))
            {
                if (tail.Count == 200) tail.Dequeue();
                tail.Enqueue(b);
            }
        }
        return (total, Encoding.UTF8.GetString(tail.ToArray()));
    }

    /// <summary>A size line of /proc/&lt;pid&gt;/status (VmRSS, VmHWM) in bytes.</summary>
    private static long Resident(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}
