using Cimaa.Faults;
using Cimaa.Metrics;
using Cimaa.Squelches;
using Cimaa.Storage;

namespace Cimaa.Testing;

/// <summary>
/// The known data of the status page tests, written through Core's services at times relative to <c>now</c>: five agents
/// with faults (one named with markup, one message holding script and an img payload), two stale agents, three squelches
/// (one silencing nothing) and two metrics. The expected page follows from it and is spelled out below.
/// </summary>
public static class ReportData
{
    /// <summary>Sets <c>window.__pwned</c> if it ever runs.</summary>
    public const string Payload = "<script>window.__pwned=1</script>\"><img src=x onerror=\"window.__pwned=2\">";
    public const string EvilAgent = "<b>evil</b>&co";
    public const string QuoteMessage = "quote \"x\" & 'y' < z";
    public const string SquelchReason = "known leak <script>window.__pwned=3</script>";

    /// <summary>Agents with faults, worst first: two Criticals; one Critical (its Error squelched); an Error; a Warning; all squelched.</summary>
    public static readonly string[] AgentOrder = ["web1", "db1", "web2", EvilAgent, "cache1"];

    public static readonly string[] StaleAgents = ["old1", "old2"];

    /// <summary>Unsquelched faults per level, and the squelched ones.</summary>
    public static readonly (int Critical, int Error, int Warning, int Info, int Squelched) Counts = (3, 1, 2, 1, 2);

    /// <summary>Each squelch with how many current faults it silences, by pattern.</summary>
    public static readonly (string Pattern, int Silences)[] Squelches = [("^mem$", 1), ("^never$", 0), ("replication", 1)];

    /// <summary>Each sparkline (metric spec, series) with its point count (one per minute).</summary>
    public static readonly (string Metric, string Series, int Points)[] Sparklines =
        [("cpu.load", "host=web1", 10), ("cpu.load", "host=web2", 5), ("queue.depth", "", 20)];

    public static readonly string[] Metrics = ["cpu.load", "queue.depth"];

    public static async Task SeedAsync(ConnectionSettings settings, DateTimeOffset now)
    {
        await Write(settings, now - TimeSpan.FromHours(2), async c => await SetFaults(c, "old1"));
        await Write(settings, now - TimeSpan.FromHours(1), async c => await SetFaults(c, "old2"));
        await Write(settings, now - TimeSpan.FromMinutes(10), async c =>
        {
            await SetFaults(c, "web1", ("http", 50, Payload), ("https", 55, "TLS handshake fails"), ("load", 30, "load 12"));
            await SetFaults(c, "db1", ("disk", 50, "/var is 99% full"), ("replication", 40, "lag 300 s"));
            await SetFaults(c, "web2", ("cert", 40, "expires in 3 days & counting"), ("note", 10, QuoteMessage));
            await SetFaults(c, EvilAgent, ("x", 30, "agent name with markup"));
            await SetFaults(c, "cache1", ("mem", 50, "RSS 31 GB"));
            await c.Squelches.AddAsync(new SquelchRequest("^mem$", SquelchReason, "ops", false, null, null, false), OpContext.None);
            await c.Squelches.AddAsync(new SquelchRequest("replication", "planned resync", "dba", true, null, null, false), OpContext.None);
            await c.Squelches.AddAsync(new SquelchRequest("^never$", "matches nothing", "ops", false, TimeSpan.FromDays(1), null, false), OpContext.None);
        });
        await Write(settings, now, async c =>
        {
            var points = new List<MetricInput>();
            for (var i = 0; i < 10; i++) points.Add(Point("cpu.load", 1 + i % 4, now.AddMinutes(-50 + i * 5), ("host", "web1")));
            for (var i = 0; i < 5; i++) points.Add(Point("cpu.load", 0.5m * i, now.AddMinutes(-30 + i * 5), ("host", "web2")));
            for (var i = 0; i < 20; i++) points.Add(Point("queue.depth", i * i, now.AddMinutes(-40 + i * 2)));
            // Outside the last hour: never drawn.
            points.Add(Point("queue.depth", 999, now.AddHours(-2)));
            await c.Metrics.WriteAsync(MetricValidation.Validate(points, now), OpContext.None);
        });
    }

    private static MetricInput Point(string name, decimal value, DateTimeOffset at, params (string, string)[] tags) =>
        new(name, value, tags.Select(t => new KeyValuePair<object?, object?>(t.Item1, t.Item2)).ToList(), at, null);

    private static async Task Write(ConnectionSettings settings, DateTimeOffset at, Func<CimaaClient, Task> write)
    {
        await using var client = StoreFactory.Open(settings with { Clock = new ManualClock(at) });
        await write(client);
    }

    private static Task<IReadOnlyList<Fault>> SetFaults(CimaaClient c, string agent, params (string Name, int Severity, string Message)[] faults) =>
        c.Faults.SetAsync(FaultValidation.Validate([agent], faults.Select(f => new FaultInput(agent, f.Name, f.Severity, f.Message, null)), null),
            null, OpContext.None);
}
