using System.Globalization;
using System.Text.Json;
using Cimaa.Storage;

namespace Cimaa.Export;

/// <summary>Reads and checks the header (first line) and the end line (last line) of an export file.</summary>
internal static class ExportHeaderJson
{
    private static readonly string[] HeaderFields = ["format", "version", "module", "source", "exported", "tables", "metricStart"];

    public static ExportHeader Read(JsonElement root, Version currentModule)
    {
        if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != ExportHeader.FormatName)
            throw new ExportFormatException($"this is not a Cimaa export: the first line has no \"format\":\"{ExportHeader.FormatName}\".");
        foreach (var p in root.EnumerateObject())
        {
            if (!HeaderFields.Contains(p.Name)) throw new ExportFormatException($"unknown field '{p.Name}' in the header.");
        }
        var versionElement = Field(root, "version");
        if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out var version))
            throw new ExportFormatException("the header's 'version' must be a whole number.");
        if (version != ExportHeader.CurrentVersion)
        {
            throw new ExportFormatException(version > ExportHeader.CurrentVersion
                ? $"format version {version} is newer than this module reads (version {ExportHeader.CurrentVersion}); update the module to import it."
                : $"format version {version} is not supported (this module reads version {ExportHeader.CurrentVersion}).");
        }
        var module = String(root, "module");
        var moduleVersion = ExportHeader.ParseModuleVersion(module)
            ?? throw new ExportFormatException($"the header's module version '{module}' is not a version.");
        if (moduleVersion > currentModule)
            throw new ExportFormatException($"the file was written by Cimaa {module}, newer than this module ({currentModule.ToString(3)}); update the module to import it.");
        var sourceText = String(root, "source");
        if (sourceText is not (nameof(StoreKind.Local) or nameof(StoreKind.DynamoDB)))
            throw new ExportFormatException($"the header's source '{sourceText}' is not Local or DynamoDB.");
        var exportedText = String(root, "exported");
        if (!DateTimeOffset.TryParse(exportedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exported))
            throw new ExportFormatException($"the header's export time '{exportedText}' is not a time.");
        var tablesElement = Field(root, "tables");
        if (tablesElement.ValueKind != JsonValueKind.Array) throw new ExportFormatException("the header's 'tables' must be an array.");
        var tables = new List<string>();
        foreach (var t in tablesElement.EnumerateArray())
        {
            var name = t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new ExportFormatException("the header's 'tables' must hold strings.");
            if (!ExportTables.IncludeNames.Contains(name))
                throw new ExportFormatException($"the header lists the unknown table '{name}' ({string.Join(", ", ExportTables.IncludeNames)}).");
            if (tables.Contains(name)) throw new ExportFormatException($"the header lists '{name}' twice.");
            tables.Add(name);
        }
        DateTimeOffset? metricStart = null;
        if (root.TryGetProperty("metricStart", out var ms) && ms.ValueKind != JsonValueKind.Null)
        {
            if (ms.ValueKind != JsonValueKind.Number || !ms.TryGetInt64(out var msValue) || msValue < 0 || msValue > 253_402_300_799_999)
                throw new ExportFormatException("the header's 'metricStart' must be null or a time in ms since 1970.");
            metricStart = DateTimeOffset.FromUnixTimeMilliseconds(msValue);
        }
        return new ExportHeader(version, module, Enum.Parse<StoreKind>(sourceText), exported.ToUniversalTime(), tables, metricStart);
    }

    /// <summary>The end line names every record table of the header's tables with the number of records the file holds.</summary>
    public static void CheckEnd(JsonElement root, ExportHeader header, ExportCounts counts)
    {
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name is not (ExportRecordJson.EndMarker or "records")) throw new ExportFormatException($"unknown field '{p.Name}' in the end line.");
        }
        if (root.GetProperty(ExportRecordJson.EndMarker) is not { ValueKind: JsonValueKind.String } end || end.GetString() != ExportHeader.FormatName)
            throw new ExportFormatException($"the end line must have \"{ExportRecordJson.EndMarker}\":\"{ExportHeader.FormatName}\".");
        var records = Field(root, "records", "end line");
        if (records.ValueKind != JsonValueKind.Object) throw new ExportFormatException("the end line's 'records' must be an object.");
        var expected = header.Tables.SelectMany(ExportTables.TablesOf).ToList();
        foreach (var p in records.EnumerateObject())
        {
            if (!ExportTables.TryParse(p.Name, out var t) || !expected.Contains(t))
                throw new ExportFormatException($"the end line counts '{p.Name}', which the header does not list.");
        }
        foreach (var t in expected)
        {
            var name = ExportTables.Name(t);
            if (!records.TryGetProperty(name, out var c) || c.ValueKind != JsonValueKind.Number || !c.TryGetInt64(out var count))
                throw new ExportFormatException($"the end line has no count for '{name}'.");
            if (count != counts[t])
                throw new ExportFormatException($"the end line counts {count} {name} records, but the file holds {counts[t]}: records are missing or were added.");
        }
    }

    private static JsonElement Field(JsonElement root, string name, string where = "header") =>
        root.TryGetProperty(name, out var e) ? e : throw new ExportFormatException($"the {where} has no '{name}'.");

    private static string String(JsonElement root, string name)
    {
        var e = Field(root, name);
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new ExportFormatException($"the header's '{name}' must be a string.");
    }
}
