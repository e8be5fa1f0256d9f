using System.Text.Json.Nodes;
using Amazon.Runtime;
using Cimaa.Metrics;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>A query's column reads: the next streams' reads start while one is emitted, and never more than 8 are in flight.</summary>
public class MetricReadOverlapTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Column_reads_overlap_across_streams_with_at_most_8_in_flight_and_the_order_kept()
    {
        // 4 streams, one point a minute for 3 hours: 3 columns each, 12 in all.
        var factory = new HoldingFactory();
        var settings = TestStores.Dynamo(new ManualClock(T0.AddDays(1)), factory);
        await using var store = await TestStores.OpenInitialized(settings);
        var service = store.Metrics;
        var input = Enumerable.Range(0, 4 * 180).Select(i => new MetricInput("m", i,
            [new KeyValuePair<object?, object?>("host", $"h{i % 4}")], T0.AddSeconds(i / 4 * 60 + i % 4), null));
        await service.WriteAsync(MetricValidation.Validate(input, T0), OpContext.None);

        var probe = factory.Probe;
        probe.Arm(columns: 12, hold: MetricService.ReadParallelism);
        var points = await service.QueryAsync(new MetricQuery(["m"], T0, T0.AddHours(3), Downsample: TimeSpan.FromMinutes(1)), OpContext.None)
            .ToListAsync();

        Assert.False(probe.GaveUp, "the reads never reached 8 in flight together");
        Assert.Equal(12, probe.Completed);
        Assert.Equal(MetricService.ReadParallelism, probe.MaxInFlight);
        Assert.True(probe.MaxStreamsInFlight > 1, $"reads of at most {probe.MaxStreamsInFlight} stream were in flight at once");
        // Output order unchanged: stream by stream (sorted by tagstring), each in time order.
        Assert.Equal(4 * 180, points.Count);
        var expected = Enumerable.Range(0, 4).SelectMany(h => Enumerable.Range(0, 180).Select(m => ($"h{h}", T0.AddMinutes(m), (decimal)(m * 4 + h))));
        Assert.Equal(expected, points.Select(p => ((string)p.Tags["host"]!, p.Timestamp, (decimal)p.Value!)));
    }

    private sealed class HoldingFactory : HttpClientFactory
    {
        public ColumnReadProbe Probe { get; } = new();

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(Probe, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }

    /// <summary>
    /// Sees the Query requests on the datapoints table (one per column) and holds them until as many are in flight as the bound
    /// allows (or as columns remain), then lets them all go: each release shows what the reader had in flight at its widest,
    /// without timing anything. If the reader never gets there, a guard lets go after 20 s and the test fails on GaveUp.
    /// </summary>
    private sealed class ColumnReadProbe() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly object _lock = new();
        private readonly List<(string Stream, TaskCompletionSource Release)> _held = [];
        private readonly Dictionary<string, int> _streamsInFlight = new(StringComparer.Ordinal);
        private bool _armed;
        private int _columns;
        private int _hold;
        private int _inFlight;

        public int Completed { get; private set; }
        public int MaxInFlight { get; private set; }
        public int MaxStreamsInFlight { get; private set; }
        public bool GaveUp { get; private set; }

        public void Arm(int columns, int hold)
        {
            lock (_lock) (_armed, _columns, _hold) = (true, columns, hold);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var t) ? t.First() : "";
            if (!_armed || !target.EndsWith(".Query", StringComparison.Ordinal)) return await base.SendAsync(request, ct);
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(ct))!;
            if (!((string)body["TableName"]!).EndsWith(".datapoints", StringComparison.Ordinal)) return await base.SendAsync(request, ct);
            // key = domain|metric|basetime|tagstring: the stream is the tagstring.
            var stream = ((string)body["ExpressionAttributeValues"]![":k"]!["S"]!).Split('|', 4)[3];
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _inFlight++;
                _streamsInFlight[stream] = _streamsInFlight.GetValueOrDefault(stream) + 1;
                MaxInFlight = Math.Max(MaxInFlight, _inFlight);
                MaxStreamsInFlight = Math.Max(MaxStreamsInFlight, _streamsInFlight.Count);
                _held.Add((stream, release));
                if (_inFlight >= Math.Min(_hold, _columns - Completed)) ReleaseHeld();
            }
            if (await Task.WhenAny(release.Task, Task.Delay(TimeSpan.FromSeconds(20), ct)) != release.Task)
            {
                lock (_lock)
                {
                    GaveUp = true;
                    _hold = 0; // from now on nothing is held
                    ReleaseHeld();
                }
            }
            try
            {
                return await base.SendAsync(request, ct);
            }
            finally
            {
                lock (_lock)
                {
                    _inFlight--;
                    Completed++;
                    if (--_streamsInFlight[stream] == 0) _streamsInFlight.Remove(stream);
                }
            }
        }

        private void ReleaseHeld()
        {
            foreach (var (_, release) in _held) release.TrySetResult();
            _held.Clear();
        }
    }
}
