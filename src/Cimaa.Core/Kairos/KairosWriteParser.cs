using System.Text;
using System.Text.Json;
using Cimaa.Metrics;

namespace Cimaa.Kairos;

/// <summary>
/// Reads a KairosDB v1 write body: a JSON array (or one object) of <c>{"name","tags","timestamp","value"}</c> and/or
/// <c>{"name","tags","datapoints":[[ms,v],..]}</c>, with an optional <c>"ttl"</c> in seconds (0 means none). Names, tags,
/// times and values are checked by <see cref="MetricValidation"/>, the rules of Write-CimaaMetric; a timestamp further ahead
/// than <see cref="KairosLimits.MaxFuture"/> and a body over <see cref="KairosLimits.MaxPoints"/> points are refused too.
/// The body is all or nothing: any error gives no points.
/// </summary>
public static class KairosWriteParser
{
    private const long MinMs = -62_135_596_800_000;
    private const long MaxMs = 253_402_300_799_999;

    public static KairosParse<IReadOnlyList<KairosWritePoint>> Parse(ReadOnlySpan<byte> json, string domain, DateTimeOffset now,
        KairosLimits? limits = null)
    {
        limits ??= new KairosLimits();
        var state = new State(domain, now, limits, new ErrorList(limits.MaxErrors));
        var r = new Utf8JsonReader(json, JsonRead.Options);
        try
        {
            if (JsonRead.Start(ref r, json, state.Errors))
            {
                if (r.TokenType == JsonTokenType.StartArray)
                {
                    var i = 0;
                    while (JsonRead.NextElement(ref r)) Metric(ref r, json, i++, state);
                }
                else if (r.TokenType == JsonTokenType.StartObject) Metric(ref r, json, 0, state);
                else state.Errors.Add("the body must be a JSON array of metrics");
                JsonRead.End(ref r);
            }
        }
        catch (JsonException e)
        {
            state.Errors.Add(JsonRead.Malformed(e));
        }
        catch (TooManyPoints)
        {
            state.Errors.Add($"the body holds more than {limits.MaxPoints} points");
        }
        return state.Errors.Any ? new(null, state.Errors.ToList()) : new(state.Points, []);
    }

    private sealed class State(string domain, DateTimeOffset now, KairosLimits limits, ErrorList errors)
    {
        public string Domain { get; } = domain;
        public DateTimeOffset Now { get; } = now;
        public long LatestMs { get; } = now.ToUnixTimeMilliseconds() + (long)limits.MaxFuture.TotalMilliseconds;
        public KairosLimits Limits { get; } = limits;
        public ErrorList Errors { get; } = errors;
        public List<KairosWritePoint> Points { get; } = [];
        public int Read { get; set; }
        public Dictionary<string, ValidMetric> Shapes { get; } = new(StringComparer.Ordinal);
    }

    private const int MaxShapes = 10_000;

    /// <summary>The name and the tags as given (in order), each part prefixed with its length so that no two differ yet match.</summary>
    private static string ShapeKey(string name, List<KeyValuePair<object?, object?>> tags)
    {
        var sb = new StringBuilder(name.Length + 16 * tags.Count + 8);
        Part(name);
        foreach (var (k, v) in tags)
        {
            Part((string)k!);
            Part((string)v!);
        }
        return sb.ToString();

        void Part(string s) => sb.Append(s.Length).Append(':').Append(s);
    }

    private sealed class TooManyPoints : Exception;

    /// <summary>A point as read: its path for errors (index in datapoints, or -1 for timestamp/value), time and value.</summary>
    private readonly record struct RawPoint(int Index, long? Time, object? Value);

    private static void Metric(ref Utf8JsonReader r, ReadOnlySpan<byte> json, int i, State state)
    {
        var path = $"metric[{i}]";
        if (!JsonRead.Object(ref r, path, state.Errors)) return;
        var errors = state.Errors;
        string? name = null;
        var tagsBad = false;
        bool hasName = false, hasTimestamp = false, hasValue = false, hasDatapoints = false;
        var tags = new List<KeyValuePair<object?, object?>>();
        long? timestamp = null, ttl = null;
        object? value = null;
        var raw = new List<RawPoint>();
        while (JsonRead.NextProperty(ref r, out var key))
        {
            switch (key)
            {
                case "name":
                    hasName = true;
                    name = JsonRead.String(ref r, $"{path}.name", errors);
                    break;
                case "tags": tagsBad = !Tags(ref r, $"{path}.tags", errors, tags); break;
                case "timestamp":
                    hasTimestamp = true;
                    timestamp = JsonRead.Integer(ref r, $"{path}.timestamp", errors);
                    break;
                case "value":
                    hasValue = true;
                    value = Value(ref r, json);
                    break;
                case "datapoints":
                    hasDatapoints = true;
                    Datapoints(ref r, json, path, state, raw);
                    break;
                case "ttl":
                    ttl = JsonRead.Integer(ref r, $"{path}.ttl", errors);
                    if (ttl is < 0 or > int.MaxValue) errors.Add($"{path}.ttl must be a whole number of seconds from 0 to {int.MaxValue}");
                    break;
                default: r.Skip(); break;
            }
        }
        if (hasTimestamp || hasValue)
        {
            if (!hasTimestamp) errors.Add($"{path}.timestamp is required with value");
            if (!hasValue) errors.Add($"{path}.value is required with timestamp");
            if (hasTimestamp && hasValue) Count(state, raw, new RawPoint(-1, timestamp, value));
        }
        else if (!hasDatapoints) errors.Add($"{path} has no points: give timestamp and value, or datapoints");
        if (!hasName) errors.Add($"{path}.name is required");
        else if (name?.Length == 0) errors.Add($"{path}.name may not be empty");
        // Without a usable name or tags nothing more can be checked; a bad point still lets the others be checked.
        if (name is not { Length: > 0 } || tagsBad) return;

        // Name, domain and tags are checked once per distinct metric of the body (with a stand-in value and time);
        // each point's own checks follow.
        var shapeKey = ShapeKey(name, tags);
        if (!state.Shapes.TryGetValue(shapeKey, out var shape))
        {
            try
            {
                shape = MetricValidation.Validate(new MetricInput(name, 0m, tags, DateTimeOffset.UnixEpoch, state.Domain), state.Now);
            }
            catch (CimaaException e)
            {
                errors.Add($"{path}: {e.Message}");
                return;
            }
            if (state.Shapes.Count < MaxShapes) state.Shapes[shapeKey] = shape;
        }
        var ttlSeconds = ttl is > 0 ? ttl : null;
        foreach (var p in raw)
        {
            if (p.Time is not { } ms) continue;
            if (ms is < MinMs or > MaxMs)
            {
                errors.Add($"{At(p)} {ms} is out of range");
                continue;
            }
            if (ms > state.LatestMs)
            {
                errors.Add($"{At(p)} {ms} is more than {state.Limits.MaxFuture.TotalHours:0.##} hours ahead of the server's clock");
                continue;
            }
            try
            {
                var v = MetricValidation.Validate(new MetricInput(name, p.Value, null, DateTimeOffset.FromUnixTimeMilliseconds(ms), state.Domain), state.Now);
                // Once the body is refused, points are still checked (to list every error) but no longer kept.
                if (!errors.Any) state.Points.Add(new KairosWritePoint(v with { Tags = shape.Tags, TagString = shape.TagString }, ttlSeconds));
            }
            catch (CimaaException e)
            {
                errors.Add($"{(p.Index < 0 ? path : $"{path}.datapoints[{p.Index}]")}: {e.Message}");
            }
        }

        string At(RawPoint p) => p.Index < 0 ? $"{path}.timestamp" : $"{path}.datapoints[{p.Index}][0]";
    }

    private static void Count(State state, List<RawPoint> raw, RawPoint point)
    {
        if (++state.Read > state.Limits.MaxPoints) throw new TooManyPoints();
        raw.Add(point);
    }

    /// <summary>Tag values are strings; a JSON number is taken as its text. False when anything was wrong.</summary>
    private static bool Tags(ref Utf8JsonReader r, string path, ErrorList errors, List<KeyValuePair<object?, object?>> tags)
    {
        if (!JsonRead.Object(ref r, path, errors)) return false;
        var ok = true;
        while (JsonRead.NextProperty(ref r, out var key))
        {
            switch (r.TokenType)
            {
                case JsonTokenType.String: tags.Add(new(key, r.GetString())); break;
                case JsonTokenType.Number: tags.Add(new(key, Encoding.UTF8.GetString(r.ValueSpan))); break;
                default:
                    errors.Add($"{path}.{key} must be a string");
                    r.Skip();
                    ok = false;
                    break;
            }
        }
        return ok;
    }

    private static void Datapoints(ref Utf8JsonReader r, ReadOnlySpan<byte> json, string path, State state, List<RawPoint> raw)
    {
        var errors = state.Errors;
        if (!JsonRead.Array(ref r, $"{path}.datapoints", errors)) return;
        var j = 0;
        while (JsonRead.NextElement(ref r))
        {
            if (r.TokenType != JsonTokenType.StartArray)
            {
                errors.Add($"{path}.datapoints[{j}] must be [timestamp, value]");
                r.Skip();
                j++;
                continue;
            }
            long? time = null;
            object? value = null;
            var n = 0;
            while (JsonRead.NextElement(ref r))
            {
                // The common case first, so that no path string is built for a good point.
                if (n == 0) time = r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var t) ? t : JsonRead.Integer(ref r, $"{path}.datapoints[{j}][0]", errors);
                else if (n == 1) value = Value(ref r, json);
                else r.Skip();
                n++;
            }
            if (n != 2) errors.Add($"{path}.datapoints[{j}] must be [timestamp, value]");
            else if (time is not null) Count(state, raw, new RawPoint(j, time, value));
            j++;
        }
    }

    /// <summary>A number as decimal (or double beyond decimal's range), a string, a bool, null, or an object/array restored from its JSON.</summary>
    private static object? Value(ref Utf8JsonReader r, ReadOnlySpan<byte> json)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.Number:
                if (r.TryGetDecimal(out var d)) return d;
                return r.TryGetDouble(out var x) ? x : double.NaN;
            case JsonTokenType.String: return r.GetString();
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                var start = (int)r.TokenStartIndex;
                r.Skip();
                return MetricValues.FromJson(Encoding.UTF8.GetString(json[start..(int)r.BytesConsumed]));
            default: return null;
        }
    }
}
