using Cimaa.Export;
using Cimaa.Storage;
using Cimaa.Testing;
using static Cimaa.Core.Tests.Export.ExportStores;

namespace Cimaa.Core.Tests.Export;

/// <summary>Export and import on both stores: the round trip in both directions, modes, and bad files that change nothing.</summary>
public sealed class ExportStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(Now);
    private readonly RecordingLog _log = new();
    private readonly List<CimaaClient> _stores = [];

    private OpContext Op => _log.Context;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var s in _stores) await s.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    private async Task<CimaaClient> Open(StoreKind kind, string name = "cimaa.db")
    {
        var settings = kind == StoreKind.Local
            ? TestStores.Sqlite(_dir, _clock) with { Path = _dir.File(name) }
            : TestStores.Dynamo(_clock);
        var store = await TestStores.OpenInitialized(settings);
        _stores.Add(store);
        return store;
    }

    [Theory]
    [InlineData(StoreKind.Local, StoreKind.DynamoDB, "a.jsonl")]
    [InlineData(StoreKind.DynamoDB, StoreKind.Local, "a.jsonl.gz")]
    public async Task Export_import_export_gives_the_same_records(StoreKind from, StoreKind to, string name)
    {
        var source = await Open(from, "source.db");
        await SeedAsync(source, Op);
        var first = _dir.File("first-" + name);
        var exported = await ExportAsync(source, first, Op);
        Assert.Equal(["faults", "heartbeats", "squelches", "config", "metrics"], exported.Select(s => s.Table));
        Assert.Equal([4L, 3, 2, 3, 62], exported.Select(s => s.Records));
        Assert.All(exported, s => Assert.Equal(first, s.Path));

        var target = await Open(to, "target.db");
        var imported = await ImportAsync(target, first, Op);
        Assert.Equal(exported.Select(s => (s.Table, s.Records)), imported.Select(s => (s.Table, s.Records)));
        var second = _dir.File("second-" + name);
        await ExportAsync(target, second, Op);
        Assert.Equal(Content(first), Content(second));
        Assert.Contains(ReadLines(second), l => l.Contains("\"agent\":\"python\",\"updated\":1418160088.25"));
        Assert.Contains(ReadLines(second), l => l.Contains("\"agent\":\"orphan\""));
        Assert.Empty(_log.Warnings);
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.DynamoDB)]
    public async Task Replace_clears_the_imported_tables_and_merge_keeps_the_rest(StoreKind kind)
    {
        var store = await Open(kind);
        await SeedAsync(store, Op);
        var backup = _dir.File("b.jsonl");
        await ExportAsync(store, backup, Op);
        await SeedAsync(store, Op, tag: "-extra");
        var both = _dir.File("both.jsonl");
        await ExportAsync(store, both, Op);

        await ImportAsync(store, backup, Op, ImportMode.Merge);
        var merged = _dir.File("merged.jsonl");
        await ExportAsync(store, merged, Op);
        Assert.Equal(Content(both), Content(merged));

        await ImportAsync(store, backup, Op, ImportMode.Replace, include: ["faults", "config"]);
        var partly = Content(await Exported(store, "partly.jsonl"));
        Assert.DoesNotContain(partly, l => l.Contains("-extra\"") && (l.Contains("\"table\":\"faults\"") || l.Contains("\"table\":\"heartbeats\"") || l.Contains("\"table\":\"config\"")));
        Assert.Contains(partly, l => l.Contains("-extra") && l.Contains("\"table\":\"squelches\""));
        Assert.Contains(partly, l => l.Contains("-extra") && l.Contains("\"table\":\"metrics\""));

        await ImportAsync(store, backup, Op, ImportMode.Replace);
        Assert.Equal(Content(backup), Content(await Exported(store, "replaced.jsonl")));
    }

    [Theory]
    [InlineData(StoreKind.Local)]
    [InlineData(StoreKind.DynamoDB)]
    public async Task MetricStart_limits_the_points_and_expired_points_are_left_out(StoreKind kind)
    {
        var store = await Open(kind);
        await SeedAsync(store, Op);
        var start = Now.AddDays(-1).AddMinutes(100);
        var path = _dir.File("m.jsonl");
        var summary = await ExportAsync(store, path, Op, include: ["metrics"], metricStart: start);
        var points = ReadLines(path).Where(l => l.Contains("\"table\":\"metrics\"")).ToList();
        Assert.Equal(points.Count, Assert.Single(summary).Records);
        var expected = Enumerable.Range(0, 30).Count(i => Now.AddDays(-1).AddMinutes(i * 7).AddMilliseconds(i) >= start) * 2 + 1;
        Assert.Equal(expected, points.Count);
        Assert.Contains($"\"metricStart\":{start.ToUnixTimeMilliseconds()}", ReadLines(path)[0]);

        _clock.Advance(TimeSpan.FromDays(29) + TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var later = await ExportAsync(store, _dir.File("later.jsonl"), Op, include: ["metrics"]);
        Assert.Equal(Enumerable.Range(0, 30).Count(i => i * 7 >= 61) * 2 + 1, Assert.Single(later).Records);
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "truncated", "truncate", "the file is truncated" },
        { "not gzip", "notgzip", "not gzip-compressed" },
        { "unknown format version", "version", "format version 2" },
        { "unknown table", "table", "unknown table 'alarms'" },
        { "missing field", "missing", "the field 'since' is missing" },
        { "wrong type", "type", "'severity' must be a whole number" },
        { "duplicate key", "duplicate", "repeats the key of line" },
        { "newer module", "module", "newer than this module" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_refused_and_nothing_changes(string why, string kind, string expected)
    {
        foreach (var storeKind in new[] { StoreKind.Local, StoreKind.DynamoDB })
        {
            var store = await Open(storeKind, $"{kind}.db");
            await SeedAsync(store, Op);
            var before = await Exported(store, $"before-{storeKind}.jsonl");
            var good = _dir.File($"good-{storeKind}.jsonl");
            await SeedOther(good);
            var bad = Spoil(good, kind);
            foreach (var mode in new[] { ImportMode.Merge, ImportMode.Replace })
            {
                var e = await Assert.ThrowsAsync<CimaaException>(() => ImportAsync(store, bad, Op, mode));
                Assert.True(e.ErrorId == ExportErrorIds.InvalidExportFile, $"{why}: {e.ErrorId}");
                Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{why}: {e.Message}");
                Assert.Matches(kind is "notgzip" ? "not a valid export file: " : "line [0-9]+: ", e.Message);
            }
            Assert.Equal(Content(before), Content(await Exported(store, $"after-{storeKind}.jsonl")));
        }
    }

    /// <summary>A good file of other records (so an import would change the store), from a scratch SQLite store.</summary>
    private async Task SeedOther(string path)
    {
        var other = await Open(StoreKind.Local, $"other-{Guid.NewGuid():N}.db");
        await SeedAsync(other, Op, tag: "-new");
        await ExportAsync(other, path, Op);
    }

    private string Spoil(string good, string kind)
    {
        var lines = ReadLines(good);
        var fault = Array.FindIndex(lines, l => l.Contains("\"table\":\"faults\""));
        var text = string.Join("\n", lines) + "\n";
        string Replace(string from, string to, int index = -1) =>
            string.Join("\n", lines.Select((l, i) => i == (index < 0 ? fault : index) ? l.Replace(from, to) : l)) + "\n";
        var content = kind switch
        {
            "truncate" => text[..(text.LastIndexOf("\"table\":\"metrics\"", StringComparison.Ordinal) + 12)],
            "version" => Replace("\"version\":1", "\"version\":2", 0),
            "module" => Replace($"\"module\":\"{ExportHeader.CurrentModule}\"", "\"module\":\"99.0.0\"", 0),
            "table" => Replace("\"table\":\"faults\"", "\"table\":\"alarms\""),
            "missing" => System.Text.RegularExpressions.Regex.Replace(text, ",\"since\":[0-9]+", "", default, TimeSpan.FromSeconds(5)),
            "type" => System.Text.RegularExpressions.Regex.Replace(lines[fault], "\"severity\":([0-9]+)", "\"severity\":\"$1\"") is var l2
                ? string.Join("\n", lines.Select((l, i) => i == fault ? l2 : l)) + "\n" : "",
            "duplicate" => string.Join("\n", lines[..^1].Append(lines[fault]).Append(lines[^1].Replace("\"faults\":4", "\"faults\":5"))) + "\n",
            _ => text,
        };
        var path = _dir.File($"bad-{kind}-{Guid.NewGuid():N}.jsonl" + (kind == "notgzip" ? ".gz" : ""));
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<string> Exported(CimaaClient store, string name)
    {
        var path = _dir.File(name);
        await ExportAsync(store, path, Op, force: true);
        return path;
    }
}
