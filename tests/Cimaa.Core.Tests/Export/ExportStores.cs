using System.Collections;
using Cimaa.Export;
using Cimaa.Metrics;
using Cimaa.Storage;

namespace Cimaa.Core.Tests.Export;

/// <summary>Seeds a store with every kind of record, and runs exports and imports through the services.</summary>
internal static class ExportStores
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static async Task SeedAsync(CimaaClient client, OpContext op, string tag = "")
    {
        var store = client.Stores.Faults;
        var since = Epoch.Seconds(Now) - 3600;
        await store.WriteFaultsAsync("web1" + tag, [
            new("web1" + tag, "disk", 40, "full ✓ \"x\"", since, since + 60, false),
            new("web1" + tag, "C#load", 30, "", since - 10, null, true),
        ], [], heartbeat: since + 60, op);
        await store.WriteFaultsAsync("db 2" + tag, [new("db 2" + tag, "ping", 50, "down", since, since, false)], [], heartbeat: since, op);
        await store.WriteFaultsAsync("orphan" + tag, [new("orphan" + tag, "left", 20, "no heartbeat", 5, 6, false)], [], heartbeat: null, op);
        await store.PutHeartbeatAsync("python" + tag, 1418160088.25m, op);
        await client.Stores.Squelches.PutSquelchAsync(new SquelchRecord("^web" + tag, "upgrade", "ops", since, true, null), overwrite: true, op);
        await client.Stores.Squelches.PutSquelchAsync(new SquelchRecord("db(?P<n>[0-9])" + tag, "old", "", 100, false, 200), overwrite: true, op);
        var config = client.Config;
        await config.SetAsync("prod" + tag, "db", new Hashtable
        {
            ["host"] = "db.example", ["port"] = 5432, ["ratio"] = 0.25m, ["on"] = true, ["none"] = null,
            ["list"] = new object?[] { 1, "two", null, new object?[] { false } }, ["map"] = new Hashtable { ["Inner"] = new Hashtable { ["x"] = 1.5 } },
            ["emptyList"] = Array.Empty<object>(), ["emptyMap"] = new Hashtable(),
        }, merge: false, op);
        await config.SetAsync("prod" + tag, "empty", new Hashtable(), merge: false, op);
        await config.SetAsync("staging" + tag, "db", new Hashtable { ["host"] = "s" }, merge: false, op);
        var t0 = Now.AddDays(-1);
        var inputs = new List<MetricInput>();
        for (var i = 0; i < 30; i++)
        {
            var time = t0.AddMinutes(i * 7).AddMilliseconds(i);
            inputs.Add(new("cpu" + tag, i * 1.25m, [new("host", "a"), new("dc", "x=y;%")], time, null));
            inputs.Add(new("cpu" + tag, -i, [new("host", "b")], time, null));
        }
        inputs.Add(new("deploy" + tag, new Hashtable { ["version"] = "1.2", ["ok"] = true }, null, t0, "ops"));
        inputs.Add(new("note" + tag, "hello", [new("k", "v")], t0.AddHours(3), "ops"));
        await client.Metrics.WriteAsync(MetricValidation.Validate(inputs, Now), op);
    }

    public static Task<IReadOnlyList<ExportSummary>> ExportAsync(CimaaClient client, string path, OpContext op, IReadOnlyList<string>? include = null,
        DateTimeOffset? metricStart = null, bool force = false) =>
        client.Export.ExportAsync(new ExportRequest(path, include ?? ExportTables.DefaultInclude, metricStart, force), op);

    public static async Task<IReadOnlyList<ImportSummary>> ImportAsync(CimaaClient client, string path, OpContext op, ImportMode mode = ImportMode.Merge,
        IReadOnlyList<string>? include = null)
    {
        var service = client.Import;
        using var plan = service.Plan(path, include, mode, op);
        return await service.ImportAsync(plan, plan.Include, op);
    }

    /// <summary>An export's content: the header without its time and source, then every record line sorted, then the end line.</summary>
    public static List<string> Content(string path)
    {
        var lines = ReadLines(path);
        var header = System.Text.RegularExpressions.Regex.Replace(lines[0], "\"source\":\"[^\"]*\",\"exported\":\"[^\"]*\"", "");
        return [header, .. lines[1..^1].Order(StringComparer.Ordinal), lines[^1]];
    }

    public static string[] ReadLines(string path)
    {
        using var file = File.OpenRead(path);
        using Stream s = path.EndsWith(".gz", StringComparison.Ordinal) ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : file;
        using var reader = new StreamReader(s);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
