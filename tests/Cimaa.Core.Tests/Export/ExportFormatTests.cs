using System.Collections;
using System.Collections.Specialized;
using System.Text;
using Cimaa.Export;
using Cimaa.Storage;
using Cimaa.Testing;
using static Cimaa.Core.Tests.Export.ExportFiles;

namespace Cimaa.Core.Tests.Export;

public sealed class ExportFormatTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly FaultRecord[] Faults =
    [
        new("web1", "disk", 40, "full \"quoted\" é ✓", 1700000000, 1700000060, false),
        new("web1", "load", 30, "", 1700000001, null, true),
        new("db 2", "C#sub", 0, new string('x', 1000), 0, 5, false),
    ];

    private static readonly HeartbeatRecord[] Heartbeats = [new("web1", 1700000060m), new("py", 1418160088.25m)];

    private static readonly SquelchRecord[] Squelches =
    [
        new("^web(?P<n>[0-9]+)", "upgrade", "ops", 1700000000, true, null),
        new("db", "", "", 1, false, 1600000000),
    ];

    private static ConfigOption[] Options() =>
    [
        new()
        {
            Store = "prod", Option = "db",
            Values = Values(("host", "x"), ("port", 5432), ("ratio", 1.50m), ("big", 12345678901234567890m), ("on", true), ("none", null),
                ("list", new object?[] { 1, "a", null, new object?[] { false } }),
                ("map", new Hashtable { ["B"] = 2, ["a"] = new Hashtable { ["deep"] = "y" } }), ("empty", new Hashtable())),
        },
        new() { Store = "prod", Option = "empty", Values = Values() },
    ];

    private static readonly MetricPointRecord[] Points =
    [
        new("default", "cpu", Tags(("host", "a"), ("dc", "x=y;z%")), 1700000000123, "1.5", null, 1702592000),
        new("default", "cpu", Tags(), 1700000000124, "-42", null, 1702592000),
        new("ops", "deploy", Tags(("env", "prod")), 0, null, "{\"version\":\"1.2\",\"ok\":true,\"n\":[1,2.50]}", 99),
        new("ops", "note", Tags(), 5, null, "\"text\"", 99),
    ];

    private static readonly ExportedAccessKey[] Keys = [new("AKIDEXAMPLE000000001", ["default:r", "*:w"], "ACTIVE", 1700000000, "collector")];

    private static SortedDictionary<string, string> Tags(params (string K, string V)[] tags) =>
        new(tags.ToDictionary(t => t.K, t => t.V), StringComparer.Ordinal);

    private string WriteAll(string name, ExportHeader? header = null)
    {
        var path = _dir.File(name);
        using var writer = ExportWriter.Create(path, header ?? Header(), force: false);
        foreach (var f in Faults) writer.Write(f);
        foreach (var h in Heartbeats) writer.Write(h);
        foreach (var s in Squelches) writer.Write(s);
        foreach (var o in Options()) writer.Write(o);
        foreach (var p in Points) writer.Write(p);
        foreach (var k in Keys) writer.Write(k);
        writer.Commit();
        return path;
    }

    [Theory]
    [InlineData("backup.jsonl")]
    [InlineData("backup.jsonl.gz")]
    public void Every_record_type_round_trips_through_writer_and_reader(string name)
    {
        var path = WriteAll(name);
        using var reader = ExportFileReader.Open(path);
        var summary = reader.Validate();
        Assert.Equal((Faults.Length, Heartbeats.Length, Squelches.Length, 2L, Points.Length, Keys.Length),
            (summary.Counts[ExportTable.Faults], summary.Counts[ExportTable.Heartbeats], summary.Counts[ExportTable.Squelches],
             summary.Counts[ExportTable.Config], summary.Counts[ExportTable.Metrics], summary.Counts[ExportTable.AccessKeys]));
        Assert.Equal(Header() with { Tables = summary.Header.Tables }, summary.Header);
        Assert.Equal(ExportTables.IncludeNames, summary.Header.Tables);
        var records = reader.Records().ToList();
        Assert.Equal(Faults, records.Where(r => r.Table == ExportTable.Faults).Select(r => (FaultRecord)r.Record));
        Assert.Equal(Heartbeats, records.Where(r => r.Table == ExportTable.Heartbeats).Select(r => (HeartbeatRecord)r.Record));
        Assert.Equal(Squelches, records.Where(r => r.Table == ExportTable.Squelches).Select(r => (SquelchRecord)r.Record));
        var options = records.Where(r => r.Table == ExportTable.Config).Select(r => (ConfigOption)r.Record).ToList();
        Assert.Equal(Options().Select(Describe), options.Select(Describe));
        var points = records.Where(r => r.Table == ExportTable.Metrics).Select(r => (MetricPointRecord)r.Record).ToList();
        Assert.Equal(Points.Select(Describe), points.Select(Describe));
        var key = Assert.Single(records, r => r.Table == ExportTable.AccessKeys).Record;
        Assert.Equal(Describe(Keys[0]), Describe((ExportedAccessKey)key));
        Assert.Equal(Enumerable.Range(2, records.Count).Select(i => (long)i), records.Select(r => r.Line));
    }

    [Fact]
    public void Config_values_keep_their_types()
    {
        var values = ((ConfigOption)ReadAll(WriteAll("c.jsonl")).First(r => r.Table == ExportTable.Config).Record).Values;
        Assert.IsType<long>(values["port"]);
        Assert.Equal(1.5m, Assert.IsType<decimal>(values["ratio"]));
        Assert.Equal(12345678901234567890m, Assert.IsType<decimal>(values["big"]));
        Assert.Equal(true, values["on"]);
        Assert.Null(values["none"]);
        Assert.True(values.Contains("none"));
        var list = Assert.IsType<object?[]>(values["list"]);
        Assert.Equal([1L, "a", null], list.Take(3));
        Assert.Equal([false], Assert.IsType<object?[]>(list[3]));
        var map = Assert.IsType<OrderedDictionary>(values["map"]);
        Assert.Equal(["a", "B"], map.Keys.Cast<string>());
        Assert.Equal("y", ((OrderedDictionary)map["A"]!)["deep"]);
    }

    [Fact]
    public void Lines_are_compact_JSON_with_numbers_in_one_form()
    {
        var lines = File.ReadAllLines(WriteAll("l.jsonl"), Encoding.UTF8);
        Assert.StartsWith("""{"format":"cimaa-export","version":1,"module":""", lines[0]);
        Assert.EndsWith(""" ,"source":"Local","exported":"2026-11-23T12:00:00.000Z","tables":["faults","squelches","config","metrics","accesskeys"],"metricStart":null}""".TrimStart(), lines[0]);
        Assert.Equal("""{"table":"faults","agent":"web1","name":"load","severity":30,"message":"","since":1700000001,"updated":null,"triggered":true}""", lines[2]);
        Assert.Equal("""{"table":"heartbeats","agent":"py","updated":1418160088.25}""", lines[5]);
        Assert.Contains(""" "ratio":{"N":"1.5"}""".TrimStart(), lines.Single(l => l.Contains("\"option\":\"db\"")));
        Assert.Equal("""{"table":"config","store":"prod","option":"empty","values":{}}""", lines.Single(l => l.Contains("\"option\":\"empty\"")));
        Assert.Contains(""" "tags":{"dc":"x=y;z%","host":"a"},"timestamp":1700000000123,"value":1.5,"expires":1702592000}""".TrimStart(), lines.Single(l => l.Contains("\"cpu\"") && l.Contains("host")));
        Assert.Contains(""" "json":{"version":"1.2","ok":true,"n":[1,2.50]}""".TrimStart(), lines.Single(l => l.Contains("deploy")));
        Assert.Contains("é ✓", lines[1]);
        Assert.Equal("""{"end":"cimaa-export","records":{"faults":3,"heartbeats":2,"squelches":2,"config":2,"metrics":4,"accesskeys":1}}""", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains("secret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_stored_number_with_trailing_zeros_is_written_in_its_short_form()
    {
        var path = _dir.File("n.jsonl");
        using (var writer = ExportWriter.Create(path, Header(ExportTables.Metrics), force: false))
        {
            writer.Write(new MetricPointRecord("d", "m", Tags(), 1, "1.50", null, 9));
            writer.Write(new MetricPointRecord("d", "m", Tags(), 2, "8.000", null, 9));
            writer.Commit();
        }
        var points = ReadAll(path).Select(e => ((MetricPointRecord)e.Record).Number).ToList();
        Assert.Equal(["1.5", "8"], points);
    }

    [Fact]
    public void Records_can_be_read_for_some_tables_only_and_only_after_validation()
    {
        var path = WriteAll("s.jsonl");
        using var reader = ExportFileReader.Open(path);
        Assert.Throws<InvalidOperationException>(() => reader.Records().ToList());
        reader.Validate();
        var only = reader.Records(new HashSet<ExportTable> { ExportTable.Squelches, ExportTable.Heartbeats }).ToList();
        Assert.Equal([ExportTable.Heartbeats, ExportTable.Heartbeats, ExportTable.Squelches, ExportTable.Squelches], only.Select(e => e.Table));
    }

    [Fact]
    public void The_writer_replaces_an_existing_file_only_with_force()
    {
        var path = Text(_dir, "b.jsonl", "keep me");
        var e = Assert.Throws<CimaaException>(() => ExportWriter.Create(path, Header(), force: false));
        Assert.Equal((ExportErrorIds.ExportFileExists, CimaaErrorCategory.ResourceExists), (e.ErrorId, e.Category));
        Assert.Equal("keep me", File.ReadAllText(path));
        Assert.Equal(["b.jsonl"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
        using (var writer = ExportWriter.Create(path, Header(ExportTables.Faults), force: true))
        {
            writer.Write(Faults[0]);
            Assert.Equal("keep me", File.ReadAllText(path));
            writer.Commit();
        }
        Assert.Equal(1, Validate(path).Counts[ExportTable.Faults]);
        Assert.Equal(["b.jsonl"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_that_appears_during_the_export_is_not_overwritten_without_force()
    {
        var path = _dir.File("late.jsonl");
        using var writer = ExportWriter.Create(path, Header(ExportTables.Faults), force: false);
        writer.Write(Faults[0]);
        File.WriteAllText(path, "someone else");
        var e = Assert.Throws<CimaaException>(writer.Commit);
        Assert.Equal(ExportErrorIds.ExportFileExists, e.ErrorId);
        Assert.Equal("someone else", File.ReadAllText(path));
        Assert.False(File.Exists(writer.TempPath));
    }

    [Fact]
    public void An_export_that_is_not_committed_leaves_no_file_and_the_target_untouched()
    {
        var path = Text(_dir, "old.jsonl.gz", "previous backup");
        string temp;
        using (var writer = ExportWriter.Create(path, Header(), force: true))
        {
            temp = writer.TempPath;
            Assert.Equal(_dir.Path, Path.GetDirectoryName(temp));
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp));
            foreach (var f in Faults) writer.Write(f);
        }
        Assert.False(File.Exists(temp));
        Assert.Equal("previous backup", File.ReadAllText(path));
        Assert.Equal(["old.jsonl.gz"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_missing_folder_is_ExportFileError()
    {
        var e = Assert.Throws<CimaaException>(() => ExportWriter.Create(Path.Combine(_dir.Path, "no", "x.jsonl"), Header(), false));
        Assert.Equal((ExportErrorIds.ExportFileError, CimaaErrorCategory.ObjectNotFound), (e.ErrorId, e.Category));
        var missing = Assert.Throws<CimaaException>(() => ExportFileReader.Open(_dir.File("none.jsonl")));
        Assert.Equal((ExportErrorIds.ExportFileError, CimaaErrorCategory.ObjectNotFound), (missing.ErrorId, missing.Category));
    }

    [Fact]
    public void The_key_hash_bag_finds_exactly_the_repeated_hashes()
    {
        var bag = new KeyHashBag();
        for (ulong i = 0; i < 100_000; i++) bag.Add(i * 0x9E3779B97F4A7C15UL + 7);
        var repeats = new ulong[] { 0, 997, 50_000, 99_999 }.Select(i => i * 0x9E3779B97F4A7C15UL + 7).ToList();
        foreach (var r in repeats) bag.Add(r);
        bag.Add(repeats[1]);
        Assert.Equal(100_005, bag.Count);
        Assert.Equal<ulong>(repeats.Order(), bag.Repeated(100).Order());
        Assert.Empty(new KeyHashBag().Repeated(100));
    }

    private static string Describe(ConfigOption o) => $"{o.Store}/{o.Option}: {Cimaa.Config.ConfigJson.Serialize(o.Values)}";

    private static string Describe(MetricPointRecord p) =>
        $"{p.Domain}|{p.Name}|{string.Join(";", p.Tags)}|{p.TimestampMs}|{p.Number}|{p.Json}|{p.Expires}";

    private static string Describe(ExportedAccessKey k) => $"{k.AccessKeyId}|{string.Join(",", k.Permissions)}|{k.State}|{k.Created}|{k.Description}";
}
