using System.Collections.Specialized;
using System.IO.Compression;
using System.Text;
using Cimaa.Config;
using Cimaa.Export;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Core.Tests.Export;

/// <summary>Sample records of every table, and helpers that write export files line by line (for bad input).</summary>
internal static class ExportFiles
{
    public static readonly DateTimeOffset Exported = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static ExportHeader Header(params string[] tables) =>
        ExportHeader.Create(StoreKind.Local, Exported, tables.Length == 0 ? ExportTables.IncludeNames : tables);

    public static readonly string HeaderLine =
        """{"format":"cimaa-export","version":1,"module":"0.1.0","source":"Local","exported":"2026-11-23T12:00:00.000Z","tables":["faults","squelches","config","metrics","accesskeys"],"metricStart":null}""";

    public static readonly string FaultLine =
        """{"table":"faults","agent":"web1","name":"disk","severity":40,"message":"full","since":1700000000,"updated":1700000060,"triggered":false}""";

    public static string Fault(string agent, string name) => FaultLine.Replace("\"web1\"", $"\"{agent}\"").Replace("\"disk\"", $"\"{name}\"");

    /// <summary>The end line that matches the given records, as the writer would count them.</summary>
    public static string EndLine(IEnumerable<string> records, params string[] tables)
    {
        var counts = new Dictionary<string, int>();
        foreach (var t in (tables.Length == 0 ? ExportTables.IncludeNames : tables).SelectMany(ExportTables.TablesOf)) counts[ExportTables.Name(t)] = 0;
        foreach (var r in records)
        {
            var start = r.IndexOf("\"table\":\"", StringComparison.Ordinal);
            if (start < 0) continue;
            start += 9;
            var name = r[start..r.IndexOf('"', start)];
            if (counts.TryGetValue(name, out var n)) counts[name] = n + 1;
        }
        return "{\"end\":\"cimaa-export\",\"records\":{" + string.Join(",", counts.Select(c => $"\"{c.Key}\":{c.Value}")) + "}}";
    }

    /// <summary>A file of the header, the records and the matching end line.</summary>
    public static string Valid(TempDir dir, params string[] records) => Raw(dir, "x.jsonl", [HeaderLine, .. records, EndLine(records)]);

    /// <summary>A file of exactly these lines, each followed by a newline.</summary>
    public static string Raw(TempDir dir, string name, IEnumerable<string> lines) => Text(dir, name, string.Concat(lines.Select(l => l + "\n")));

    public static string Text(TempDir dir, string name, string text)
    {
        var path = dir.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest)) gz.Write(data);
        return buffer.ToArray();
    }

    public static OrderedDictionary Values(params (string Key, object? Value)[] pairs)
    {
        var d = ConfigValues.Create();
        foreach (var (k, v) in pairs) d.Add(k, v);
        return ConfigValues.Normalize(d);
    }

    public static ExportFileSummary Validate(string path, ExportReadOptions? options = null)
    {
        using var reader = ExportFileReader.Open(path, options);
        return reader.Validate();
    }

    public static List<ExportEntry> ReadAll(string path, ExportReadOptions? options = null)
    {
        using var reader = ExportFileReader.Open(path, options);
        reader.Validate();
        return reader.Records().ToList();
    }

    /// <summary>The InvalidExportFile error of a file, checked for its ID and category.</summary>
    public static CimaaException Refused(string path, ExportReadOptions? options = null)
    {
        var e = Assert.Throws<CimaaException>(() => Validate(path, options));
        Assert.Equal(ExportErrorIds.InvalidExportFile, e.ErrorId);
        Assert.Equal(CimaaErrorCategory.InvalidData, e.Category);
        return e;
    }
}
