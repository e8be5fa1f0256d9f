using System.Globalization;
using System.Text.Json;
using Cimaa.Config;
using Cimaa.Faults;
using Cimaa.Metrics;
using Cimaa.Squelches;
using Cimaa.Storage;

namespace Cimaa.Export;

/// <summary>
/// Turns one parsed record line into its typed record, checking its shape (known fields, each present once with its JSON type)
/// and then its content with the rules the cmdlets use: <see cref="FaultValidation"/>, <see cref="SquelchPattern"/>,
/// <see cref="ConfigValues"/> and <see cref="MetricValidation"/>. Shape errors are <see cref="ExportFormatException"/>; rule
/// errors are the rules' own <see cref="CimaaException"/>. The reader adds the line number to both.
/// </summary>
internal sealed class ExportRecordReader(string configStoreKey, string configOptionKey)
{
    private static readonly string[] FaultFields = ["table", "agent", "name", "severity", "message", "since", "updated", "triggered"];
    private static readonly string[] HeartbeatFields = ["table", "agent", "updated"];
    private static readonly string[] SquelchFields = ["table", "pattern", "reason", "user", "time", "permanent", "expires"];
    private static readonly string[] ConfigFields = ["table", "store", "option", "values"];
    private static readonly string[] MetricFields = ["table", "domain", "name", "tags", "timestamp", "value", "json", "expires"];
    private static readonly string[] AccessKeyFields = ["table", "id", "permissions", "state", "created", "description"];

    public ExportEntry Read(ExportTable table, JsonElement root, long line) => new(table, line, table switch
    {
        ExportTable.Faults => Fault(new Fields(root, FaultFields, table)),
        ExportTable.Heartbeats => Heartbeat(new Fields(root, HeartbeatFields, table)),
        ExportTable.Squelches => Squelch(new Fields(root, SquelchFields, table)),
        ExportTable.Config => Config(new Fields(root, ConfigFields, table)),
        ExportTable.Metrics => Metric(new Fields(root, MetricFields, table)),
        ExportTable.AccessKeys => AccessKey(new Fields(root, AccessKeyFields, table)),
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    });

    /// <summary>The key of a record within its table, as text: parts joined with NUL (which no part can hold unnoticed, see <see cref="ExportKeys"/>).</summary>
    public static string Key(ExportEntry entry) => entry.Record switch
    {
        FaultRecord f => ExportKeys.Join(f.Agent, f.Name),
        HeartbeatRecord h => ExportKeys.Join(h.Agent),
        SquelchRecord s => ExportKeys.Join(s.Regex),
        ConfigOption o => ExportKeys.Join(o.Store, o.Option),
        MetricPointRecord p => ExportKeys.Join(p.Domain, p.Name, MetricKeys.TagString(p.Tags), p.TimestampMs.ToString(CultureInfo.InvariantCulture)),
        ExportedAccessKey k => ExportKeys.Join(k.AccessKeyId),
        _ => throw new ArgumentOutOfRangeException(nameof(entry)),
    };

    /// <summary>The key as a person reads it, for messages.</summary>
    public static string Describe(ExportEntry entry) => entry.Record switch
    {
        FaultRecord f => $"agent '{f.Agent}', fault '{f.Name}'",
        HeartbeatRecord h => $"agent '{h.Agent}'",
        SquelchRecord s => $"pattern '{s.Regex}'",
        ConfigOption o => $"store '{o.Store}', option '{o.Option}'",
        MetricPointRecord p => $"metric '{p.Domain}|{p.Name}', tags '{MetricKeys.TagString(p.Tags)}', timestamp {p.TimestampMs}",
        ExportedAccessKey k => $"access key '{k.AccessKeyId}'",
        _ => "?",
    };

    private static FaultRecord Fault(Fields f)
    {
        var agent = f.String(1);
        var name = f.String(2);
        var severity = f.Long(3);
        var message = f.String(4);
        var since = f.Long(5);
        var updated = f.NullableLong(6);
        var triggered = f.Bool(7);
        FaultValidation.Validate([], [new FaultInput(agent, name, severity, message, triggered)], check: null);
        return new FaultRecord(agent, name, (int)severity, message, since, updated, triggered);
    }

    private static HeartbeatRecord Heartbeat(Fields f)
    {
        var agent = f.String(1);
        var updated = f.Decimal(2);
        FaultValidation.Validate([agent], [], check: null);
        return new HeartbeatRecord(agent, updated);
    }

    private static SquelchRecord Squelch(Fields f)
    {
        var pattern = f.String(1);
        var record = new SquelchRecord(pattern, f.String(2), f.String(3), f.Long(4), f.Bool(5), f.NullableLong(6));
        SquelchPattern.Parse(pattern);
        return record;
    }

    private ConfigOption Config(Fields f)
    {
        var store = f.String(1);
        var option = f.String(2);
        var values = ExportConfigValues.Read(f.Required(3));
        ConfigService.CheckName(store, "store");
        ConfigService.CheckName(option, "option");
        return new ConfigOption { Store = store, Option = option, Values = ConfigValues.Normalize(values, configStoreKey, configOptionKey) };
    }

    private static MetricPointRecord Metric(Fields f)
    {
        var domain = f.String(1);
        var name = f.String(2);
        var tags = new List<KeyValuePair<object?, object?>>();
        var tagsElement = f.Required(3);
        if (tagsElement.ValueKind != JsonValueKind.Object) throw f.WrongType(3, "an object of strings");
        foreach (var p in tagsElement.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) throw new ExportFormatException($"the tag '{p.Name}' must be a string.");
            tags.Add(new(p.Name, p.Value.GetString()));
        }
        var timestamp = f.Long(4);
        if (timestamp is < -62_135_596_800_000 or > 253_402_300_799_999) throw new ExportFormatException($"the timestamp {timestamp} is out of range.");
        object? value;
        if (f.Has(5) == f.Has(6)) throw new ExportFormatException("a metrics record needs exactly one of 'value' (a number) and 'json' (any other value).");
        if (f.Has(5))
        {
            var v = f.Required(5);
            if (v.ValueKind != JsonValueKind.Number) throw f.WrongType(5, "a number");
            value = v.TryGetDecimal(out var d) ? d : v.GetDouble();
        }
        else
        {
            var j = f.Required(6);
            if (j.ValueKind == JsonValueKind.Number) throw new ExportFormatException("the field 'json' holds a number; numbers go in 'value'.");
            value = MetricValues.FromJson(j.GetRawText());
        }
        var expires = f.Long(7);
        var valid = MetricValidation.Validate(new MetricInput(name, value, tags, DateTimeOffset.FromUnixTimeMilliseconds(timestamp), domain),
            DateTimeOffset.UnixEpoch);
        return new MetricPointRecord(valid.Domain, valid.Name, valid.Tags, valid.TimestampMs, valid.Number, valid.Json, expires);
    }

    private static ExportedAccessKey AccessKey(Fields f)
    {
        var id = f.String(1);
        if (id.Length == 0) throw new ExportFormatException("the access key id is empty.");
        var permissionsElement = f.Required(2);
        if (permissionsElement.ValueKind != JsonValueKind.Array) throw f.WrongType(2, "an array of strings");
        var permissions = new List<string>();
        foreach (var p in permissionsElement.EnumerateArray())
        {
            if (p.ValueKind != JsonValueKind.String) throw f.WrongType(2, "an array of strings");
            permissions.Add(p.GetString()!);
        }
        var state = f.String(3);
        if (state is not ("ACTIVE" or "INACTIVE")) throw new ExportFormatException($"the state '{state}' is not ACTIVE or INACTIVE.");
        return new ExportedAccessKey(id, permissions, state, f.Long(4), f.String(5));
    }

    /// <summary>The fields of one record by position in its table's list; unknown or repeated fields are refused.</summary>
    private readonly struct Fields
    {
        private readonly JsonElement[] _values;
        private readonly bool[] _present;
        private readonly string[] _names;

        public Fields(JsonElement root, string[] names, ExportTable table)
        {
            _names = names;
            _values = new JsonElement[names.Length];
            _present = new bool[names.Length];
            foreach (var p in root.EnumerateObject())
            {
                var i = Array.IndexOf(names, p.Name);
                if (i < 0)
                {
                    if (table == ExportTable.AccessKeys && p.Name.Contains("secret", StringComparison.OrdinalIgnoreCase))
                        throw new ExportFormatException($"the access key record has a field '{p.Name}'; secrets are never part of an export.");
                    throw new ExportFormatException($"unknown field '{p.Name}' in a {ExportTables.Name(table)} record.");
                }
                if (_present[i]) throw new ExportFormatException($"the field '{p.Name}' is given twice.");
                _present[i] = true;
                _values[i] = p.Value;
            }
        }

        public bool Has(int i) => _present[i] && _values[i].ValueKind != JsonValueKind.Null;

        public JsonElement Required(int i) =>
            _present[i] ? _values[i] : throw new ExportFormatException($"the field '{_names[i]}' is missing.");

        public string String(int i)
        {
            var e = Required(i);
            return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw WrongType(i, "a string");
        }

        public long Long(int i)
        {
            var e = Required(i);
            return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : throw WrongType(i, "a whole number");
        }

        public long? NullableLong(int i) => Has(i) ? Long(i) : null;

        public decimal Decimal(int i)
        {
            var e = Required(i);
            return e.ValueKind == JsonValueKind.Number && e.TryGetDecimal(out var v) ? v : throw WrongType(i, "a number");
        }

        public bool Bool(int i)
        {
            var e = Required(i);
            return e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : throw WrongType(i, "true or false");
        }

        public ExportFormatException WrongType(int i, string expected) =>
            new($"the field '{_names[i]}' must be {expected}, not {Kind(_values[i])}.");

        private static string Kind(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "the number " + e.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "missing",
        };
    }
}
