using System.Globalization;
using System.Text.Json;
using Cimaa.Storage;

namespace Cimaa.Export;

/// <summary>
/// The JSON of each line of an export file. Every record starts with <c>"table"</c>; times are epoch seconds as the stores keep
/// them (metric timestamps in ms), absent optional values are null.
/// </summary>
/// <remarks>
/// <code>
/// {"format":"cimaa-export","version":1,"module":"0.1.0","source":"Local","exported":"2026-11-23T12:00:00.000Z","tables":["faults"],"metricStart":null}
/// {"table":"faults","agent":"web1","name":"disk","severity":40,"message":"full","since":1700000000,"updated":1700000060,"triggered":false}
/// {"table":"heartbeats","agent":"web1","updated":1700000060}
/// {"table":"squelches","pattern":"^web","reason":"upgrade","user":"ops","time":1700000000,"permanent":false,"expires":null}
/// {"table":"config","store":"prod","option":"db","values":{"port":{"N":"5432"}}}
/// {"table":"metrics","domain":"default","name":"cpu","tags":{"host":"a"},"timestamp":1700000000123,"value":1.5,"expires":1702592000}
/// {"table":"accesskeys","id":"AKID","permissions":["default:r"],"state":"ACTIVE","created":1700000000,"description":""}
/// {"end":"cimaa-export","records":{"faults":1,"heartbeats":1}}
/// </code>
/// </remarks>
internal static class ExportRecordJson
{
    public const string EndMarker = "end";

    public static void WriteHeader(Utf8JsonWriter w, ExportHeader h)
    {
        w.WriteStartObject();
        w.WriteString("format", ExportHeader.FormatName);
        w.WriteNumber("version", h.Version);
        w.WriteString("module", h.Module);
        w.WriteString("source", h.Source.ToString());
        w.WriteString("exported", FormatTime(h.Exported));
        w.WriteStartArray("tables");
        foreach (var t in h.Tables) w.WriteStringValue(t);
        w.WriteEndArray();
        if (h.MetricStart is { } start) w.WriteNumber("metricStart", start.ToUnixTimeMilliseconds());
        else w.WriteNull("metricStart");
        w.WriteEndObject();
    }

    public static void WriteEnd(Utf8JsonWriter w, IReadOnlyList<string> includes, ExportCounts counts)
    {
        w.WriteStartObject();
        w.WriteString(EndMarker, ExportHeader.FormatName);
        w.WriteStartObject("records");
        foreach (var include in includes)
        {
            foreach (var t in ExportTables.TablesOf(include)) w.WriteNumber(ExportTables.Name(t), counts[t]);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, FaultRecord f)
    {
        Start(w, ExportTable.Faults);
        w.WriteString("agent", f.Agent);
        w.WriteString("name", f.Name);
        w.WriteNumber("severity", f.Severity);
        w.WriteString("message", f.Message);
        w.WriteNumber("since", f.Since);
        if (f.Updated is { } u) w.WriteNumber("updated", u);
        else w.WriteNull("updated");
        w.WriteBoolean("triggered", f.Triggered);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, HeartbeatRecord h)
    {
        Start(w, ExportTable.Heartbeats);
        w.WriteString("agent", h.Agent);
        w.WriteNumber("updated", Normalized(h.Updated));
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, SquelchRecord s)
    {
        Start(w, ExportTable.Squelches);
        w.WriteString("pattern", s.Regex);
        w.WriteString("reason", s.Reason);
        w.WriteString("user", s.User);
        w.WriteNumber("time", s.Time);
        w.WriteBoolean("permanent", s.Permanent);
        if (s.Expires is { } e) w.WriteNumber("expires", e);
        else w.WriteNull("expires");
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, ConfigOption o)
    {
        Start(w, ExportTable.Config);
        w.WriteString("store", o.Store);
        w.WriteString("option", o.Option);
        w.WritePropertyName("values");
        ExportConfigValues.Write(w, o.Values);
        w.WriteEndObject();
    }

    /// <summary>
    /// A number is written in its shortest exact form (1.50 as 1.5, as DynamoDB keeps it), so both stores export the same line;
    /// any other value is the stored JSON text itself, under "json".
    /// </summary>
    public static void Write(Utf8JsonWriter w, MetricPointRecord p)
    {
        Start(w, ExportTable.Metrics);
        w.WriteString("domain", p.Domain);
        w.WriteString("name", p.Name);
        w.WriteStartObject("tags");
        foreach (var (k, v) in p.Tags) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteNumber("timestamp", p.TimestampMs);
        if (p.Number is { } n)
        {
            w.WritePropertyName("value");
            if (decimal.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) w.WriteNumberValue(Normalized(d));
            else w.WriteRawValue(n);
        }
        else
        {
            w.WritePropertyName("json");
            w.WriteRawValue(p.Json ?? "null");
        }
        w.WriteNumber("expires", p.Expires);
        w.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter w, ExportedAccessKey k)
    {
        Start(w, ExportTable.AccessKeys);
        w.WriteString("id", k.AccessKeyId);
        w.WriteStartArray("permissions");
        foreach (var p in k.Permissions) w.WriteStringValue(p);
        w.WriteEndArray();
        w.WriteString("state", k.State);
        w.WriteNumber("created", k.Created);
        w.WriteString("description", k.Description);
        w.WriteEndObject();
    }

    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The same value without trailing zeros (dividing by 1 with 28 zeros keeps the value and drops them).</summary>
    public static decimal Normalized(decimal d) => d / 1.0000000000000000000000000000m;

    private static void Start(Utf8JsonWriter w, ExportTable table)
    {
        w.WriteStartObject();
        w.WriteString("table", ExportTables.Name(table));
    }
}
