using System.Text;
using Cimaa.Export;
using Cimaa.Testing;
using static Cimaa.Core.Tests.Export.ExportFiles;

namespace Cimaa.Core.Tests.Export;

/// <summary>Every kind of bad file is InvalidExportFile (InvalidData), and the message names the line.</summary>
public sealed class ExportBadInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string Squelch = """{"table":"squelches","pattern":"^web","reason":"r","user":"u","time":1,"permanent":false,"expires":null}""";
    private static readonly string Config = """{"table":"config","store":"prod","option":"db","values":{"port":{"N":"5432"}}}""";
    private static readonly string Metric = """{"table":"metrics","domain":"default","name":"cpu","tags":{"host":"a"},"timestamp":1700000000123,"value":1.5,"expires":9}""";

    public static TheoryData<string, string, string> BadRecords => new()
    {
        { "unknown table", """{"table":"alarms","agent":"a"}""", "unknown table 'alarms'" },
        { "no table", """{"agent":"a"}""", "has no \"table\"" },
        { "missing field", FaultLine.Replace(""","since":1700000000""", ""), "the field 'since' is missing" },
        { "wrong type", FaultLine.Replace("\"severity\":40", "\"severity\":\"40\""), "'severity' must be a whole number, not a string" },
        { "fractional severity", FaultLine.Replace("\"severity\":40", "\"severity\":40.5"), "'severity' must be a whole number" },
        { "boolean as text", FaultLine.Replace("\"triggered\":false", "\"triggered\":\"y\""), "'triggered' must be true or false" },
        { "unknown field", FaultLine.Replace("{\"table\":\"faults\",", "{\"table\":\"faults\",\"extra\":1,"), "unknown field 'extra'" },
        { "field twice", FaultLine.Replace("{\"table\":\"faults\",", "{\"table\":\"faults\",\"agent\":\"x\","), "'agent' is given twice" },
        { "heartbeat agent", Fault("_", "disk"), "InvalidFault: The agent name '_' is reserved" },
        { "empty fault name", Fault("web1", ""), "InvalidFault" },
        { "negative severity", FaultLine.Replace("\"severity\":40", "\"severity\":-1"), "InvalidFault" },
        { "message over 100 KB", FaultLine.Replace("\"full\"", "\"" + new string('m', 100 * 1024 + 1) + "\""), "over 100 KB" },
        { "bad regex", Squelch.Replace("^web", "(unclosed"), "InvalidSquelchPattern" },
        { "heartbeat as text", """{"table":"heartbeats","agent":"a","updated":"now"}""", "'updated' must be a number" },
        { "reserved config key", Config.Replace("\"port\"", "\"_store\""), "InvalidConfigValue: The key '_store' is reserved" },
        { "config keys differ in case", Config.Replace("{\"port\":{\"N\":\"5432\"}}", "{\"a\":{\"S\":\"x\"},\"A\":{\"S\":\"y\"}}"), "InvalidConfigValue" },
        { "binary config value", Config.Replace("{\"N\":\"5432\"}", "{\"B\":\"AQI=\"}"), "binary" },
        { "untyped config value", Config.Replace("{\"N\":\"5432\"}", "5432"), "must be a typed value" },
        { "unknown config type", Config.Replace("{\"N\":\"5432\"}", "{\"SS\":[\"a\"]}"), "unknown type 'SS'" },
        { "bad config number", Config.Replace("{\"N\":\"5432\"}", "{\"N\":\"12abc\"}"), "not a valid N value" },
        { "empty store name", Config.Replace("\"prod\"", "\"\""), "store name must not be empty" },
        { "bar in metric name", Metric.Replace("\"cpu\"", "\"c|pu\""), "InvalidMetric" },
        { "value and json", Metric.Replace("\"value\":1.5", "\"value\":1.5,\"json\":\"x\""), "exactly one of 'value'" },
        { "value as text", Metric.Replace("\"value\":1.5", "\"value\":\"1.5\""), "'value' must be a number" },
        { "number in json", Metric.Replace("\"value\":1.5", "\"json\":1.5"), "numbers go in 'value'" },
        { "tag not a string", Metric.Replace("\"host\":\"a\"", "\"host\":1"), "the tag 'host' must be a string" },
        { "metric before 1970", Metric.Replace("1700000000123", "-5"), "InvalidMetric" },
        { "secret", """{"table":"accesskeys","id":"AK","permissions":[],"state":"ACTIVE","created":1,"description":"","secret_access_key":"s3cr3t"}""", "secrets are never part of an export" },
        { "bad key state", """{"table":"accesskeys","id":"AK","permissions":[],"state":"on","created":1,"description":""}""", "is not ACTIVE or INACTIVE" },
        { "array line", "[1,2]", "not a JSON object" },
        { "not JSON", "{\"table\":", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadRecords))]
    public void A_bad_record_is_refused_naming_its_line(string why, string record, string expected)
    {
        var path = Valid(_dir, FaultLine, Fault("web2", "disk"), record, Fault("web3", "disk"));
        var e = Refused(path);
        Assert.True(e.Message.Contains("line 4: ", StringComparison.Ordinal), $"{why}: {e.Message}");
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{why}: {e.Message}");
        Assert.DoesNotContain("s3cr3t", e.Message);
    }

    [Fact]
    public void A_duplicate_key_within_a_table_names_both_lines()
    {
        var e = Refused(Valid(_dir, FaultLine, Fault("web2", "disk"), Fault("web1", "disk")));
        Assert.Contains("line 4: the faults record for agent 'web1', fault 'disk' repeats the key of line 2", e.Message);
    }

    [Fact]
    public void The_same_key_in_two_tables_and_keys_differing_in_case_are_no_duplicates()
    {
        var heartbeat = """{"table":"heartbeats","agent":"web1","updated":1}""";
        var summary = Validate(Valid(_dir, FaultLine, Fault("WEB1", "disk"), Fault("web1", "Disk"), heartbeat));
        Assert.Equal((3, 1), (summary.Counts[ExportTable.Faults], summary.Counts[ExportTable.Heartbeats]));
    }

    [Fact]
    public void A_hash_collision_is_confirmed_against_the_real_keys()
    {
        var colliding = new ExportReadOptions { KeyHash = (_, _) => 42 };
        var good = Valid(_dir, FaultLine, Fault("web2", "disk"), Fault("web3", "disk"));
        Assert.Equal(3, Validate(good, colliding).Counts[ExportTable.Faults]);
        var bad = Valid(_dir, FaultLine, Fault("web2", "disk"), Fault("web3", "disk"), Fault("web2", "disk"));
        Assert.Contains("line 5: the faults record for agent 'web2', fault 'disk' repeats the key of line 3", Refused(bad, colliding).Message);
    }

    public static TheoryData<string, string, string> BadHeaders => new()
    {
        { "not an export", """{"hello":"world"}""", "line 1: this is not a Cimaa export" },
        { "newer format version", HeaderLine.Replace("\"version\":1", "\"version\":2"), "line 1: format version 2 is newer than this module reads" },
        { "old format version", HeaderLine.Replace("\"version\":1", "\"version\":0"), "line 1: format version 0 is not supported" },
        { "newer module", HeaderLine.Replace("\"module\":\"0.1.0\"", "\"module\":\"0.2.0\""), "line 1: the file was written by Cimaa 0.2.0, newer than this module (0.1.0)" },
        { "bad module version", HeaderLine.Replace("\"module\":\"0.1.0\"", "\"module\":\"x\""), "module version 'x' is not a version" },
        { "unknown source", HeaderLine.Replace("\"Local\"", "\"Postgres\""), "source 'Postgres'" },
        { "unknown header table", HeaderLine.Replace("\"accesskeys\"", "\"alarms\""), "unknown table 'alarms'" },
        { "unknown header field", HeaderLine.Replace("\"metricStart\":null", "\"metricStart\":null,\"x\":1"), "unknown field 'x' in the header" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void A_bad_header_is_refused(string why, string header, string expected)
    {
        var e = Refused(Raw(_dir, "h.jsonl", [header, FaultLine, EndLine([FaultLine])]), new ExportReadOptions("0.1.0"));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{why}: {e.Message}");
    }

    [Fact]
    public void A_file_from_the_same_or_an_older_module_is_read()
    {
        var older = Raw(_dir, "o.jsonl", [HeaderLine.Replace("\"0.1.0\"", "\"0.0.9-beta\""), FaultLine, EndLine([FaultLine])]);
        Assert.Equal(1, Validate(older, new ExportReadOptions("0.1.0")).Counts[ExportTable.Faults]);
        Assert.Equal(1, Validate(Valid(_dir, FaultLine), new ExportReadOptions("0.1.0")).Counts[ExportTable.Faults]);
    }

    [Fact]
    public void A_record_of_a_table_the_header_does_not_list_is_refused()
    {
        var header = HeaderLine.Replace("\"tables\":[\"faults\",\"squelches\",\"config\",\"metrics\",\"accesskeys\"]", "\"tables\":[\"squelches\"]");
        var e = Refused(Raw(_dir, "t.jsonl", [header, FaultLine, EndLine([], ExportTables.Squelches)]));
        Assert.Contains("line 2: a faults record, but the header does not list 'faults'", e.Message);
    }

    [Fact]
    public void A_file_cut_in_the_middle_of_a_line_is_truncated()
    {
        var whole = File.ReadAllText(Valid(_dir, FaultLine, Fault("web2", "disk")));
        var cut = whole[..(whole.IndexOf("web2", StringComparison.Ordinal) + 2)];
        Assert.Contains("line 3: the last line has no newline and is not valid JSON: the file is truncated", Refused(Text(_dir, "cut.jsonl", cut)).Message);
    }

    [Fact]
    public void A_file_cut_at_a_line_end_lacks_its_end_line()
    {
        var lines = File.ReadAllLines(Valid(_dir, FaultLine, Fault("web2", "disk")));
        var e = Refused(Raw(_dir, "cut.jsonl", lines[..^1]));
        Assert.Contains("the file ends at line 3 without its end line: it is truncated", e.Message);
    }

    [Fact]
    public void End_line_counts_lines_after_it_and_empty_lines_are_checked()
    {
        var lines = File.ReadAllLines(Valid(_dir, FaultLine, Fault("web2", "disk")));
        Assert.Contains("line 3: the end line counts 2 faults records, but the file holds 1",
            Refused(Raw(_dir, "a.jsonl", [lines[0], lines[1], lines[3]])).Message);
        Assert.Contains("line 5: there is more after the end line", Refused(Raw(_dir, "b.jsonl", [.. lines, FaultLine])).Message);
        Assert.Contains("line 3: the line is empty", Refused(Raw(_dir, "c.jsonl", [lines[0], lines[1], "", lines[2], lines[3]])).Message);
        Assert.Contains("the file is empty", Refused(Text(_dir, "d.jsonl", "")).Message);
        Assert.Equal(2, Validate(Text(_dir, "e.jsonl", string.Join("\r\n", lines))).Counts[ExportTable.Faults]);
        Assert.Equal(2, Validate(Text(_dir, "f.jsonl", "\uFEFF" + string.Join("\n", lines) + "\n")).Counts[ExportTable.Faults]);
    }

    [Fact]
    public void A_truncated_gzip_stream_is_refused()
    {
        var records = Enumerable.Range(0, 2000).Select(i => Fault($"web{i}", "disk")).ToArray();
        var gz = Gzip(File.ReadAllBytes(Valid(_dir, records)));
        var path = _dir.File("t.jsonl.gz");
        File.WriteAllBytes(path, gz[..10]);
        Assert.Contains("the gzip stream holds no data: it is empty or truncated", Refused(path).Message);
        foreach (var length in new[] { gz.Length / 3, gz.Length * 2 / 3, gz.Length - 12 })
        {
            File.WriteAllBytes(path, gz[..length]);
            var e = Refused(path);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(e.Message, "line [0-9]+: (the gzip stream is truncated or corrupt|the last line has no newline and is not valid JSON: the file is truncated)"), $"{length}: {e.Message}");
        }
        File.WriteAllBytes(path, gz);
        Assert.Equal(2000, Validate(path).Counts[ExportTable.Faults]);
    }

    [Fact]
    public void A_gz_file_that_is_not_gzip_and_a_gzip_file_not_named_gz_are_refused()
    {
        var plain = File.ReadAllBytes(Valid(_dir, FaultLine));
        File.WriteAllBytes(_dir.File("p.jsonl.gz"), plain);
        Assert.Contains("the name ends in .gz, but the file is not gzip-compressed", Refused(_dir.File("p.jsonl.gz")).Message);
        File.WriteAllBytes(_dir.File("g.jsonl"), Gzip(plain));
        Assert.Contains("its name must end in .gz", Refused(_dir.File("g.jsonl")).Message);
        File.WriteAllBytes(_dir.File("corrupt.jsonl.gz"), [0x1f, 0x8b, .. Encoding.ASCII.GetBytes("not really gzip at all")]);
        Assert.Contains("the gzip stream is truncated or corrupt", Refused(_dir.File("corrupt.jsonl.gz")).Message);
    }
}
