using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Cimaa.Kairos;

/// <summary>One result of a query answer: its query's index in <c>queries</c>, its name and its tags (key to sorted values).</summary>
public sealed class KairosResultHeader(int query)
{
    public int Query { get; } = query;
    public string Name { get; internal set; } = "";
    public SortedDictionary<string, string[]> Tags { get; internal set; } = new(StringComparer.Ordinal);
}

/// <summary>A result begins (<see cref="Value"/> unused), or one of its values.</summary>
public readonly record struct KairosResponseEvent(KairosResultHeader Result, bool IsValue, KairosValue Value);

/// <summary>
/// Reads a query answer, <c>{"queries":[{"results":[{"name","group_by","tags","values":[[ms,v],..]},..],"sample_size":N},..]}</c>,
/// from a stream as it arrives: each result is announced once its name and tags are known, then its values follow one by
/// one, so a large answer is never held whole. Numbers come as decimals; any other value keeps its JSON text. Keys other
/// than these are skipped. A malformed answer is an <see cref="InvalidDataException"/>.
/// </summary>
public static class KairosResponseReader
{
    public static async IAsyncEnumerable<KairosResponseEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var parser = new Parser();
        var buffer = new byte[16 * 1024];
        var length = 0;
        var final = false;
        var events = new List<KairosResponseEvent>();
        while (true)
        {
            if (!final)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var n = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (n == 0) final = true;
                length += n;
            }
            int consumed;
            try
            {
                consumed = parser.Process(buffer.AsSpan(0, length), final, events);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"The answer is not valid JSON: {e.Message}", e);
            }
            foreach (var e in events) yield return e;
            events.Clear();
            if (parser.Done) yield break;
            if (final) throw new InvalidDataException("The answer ended before its JSON did.");
            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
        }
    }

    private enum Level { Start, Root, Queries, Query, Results, Result, Values }

    /// <summary>
    /// A state machine over the tokens. Each step reads what it needs (one token, or a whole small value such as a
    /// <c>[ms, v]</c> pair or the tags object); when the buffer ends first, the step is undone and retried with more data.
    /// </summary>
    private sealed class Parser
    {
        private readonly Stack<Level> _levels = new([Level.Start]);
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 64 });
        private int _query = -1;
        private KairosResultHeader? _result;
        private bool _announced;
        private List<KairosValue>? _early;

        public bool Done { get; private set; }

        public int Process(ReadOnlySpan<byte> data, bool final, List<KairosResponseEvent> events)
        {
            var r = new Utf8JsonReader(data, final, _state);
            var consumed = 0;
            while (!Done)
            {
                var before = r;
                if (!Step(ref r, data, events))
                {
                    r = before;
                    break;
                }
                consumed = (int)r.BytesConsumed;
            }
            _state = r.CurrentState;
            return consumed;
        }

        private bool Step(ref Utf8JsonReader r, ReadOnlySpan<byte> data, List<KairosResponseEvent> events)
        {
            if (!r.Read()) return false;
            var level = _levels.Peek();
            var token = r.TokenType;
            switch (level)
            {
                case Level.Start:
                    Expect(token, JsonTokenType.StartObject, "the answer");
                    _levels.Push(Level.Root);
                    return true;
                case Level.Values:
                    if (token == JsonTokenType.EndArray)
                    {
                        _levels.Pop();
                        return true;
                    }
                    Expect(token, JsonTokenType.StartArray, "a value");
                    var start = (int)r.TokenStartIndex;
                    if (!r.TrySkip()) return false;
                    var value = Value(data[start..(int)r.BytesConsumed]);
                    if (_announced) events.Add(new(_result!, true, value));
                    else (_early ??= []).Add(value);
                    return true;
            }
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                if (level == Level.Result) EndResult(events);
                _levels.Pop();
                if (level == Level.Root) Done = true;
                return true;
            }
            if (level is Level.Queries or Level.Results)
            {
                Expect(token, JsonTokenType.StartObject, level == Level.Queries ? "a query" : "a result");
                if (level == Level.Queries) _query++;
                else
                {
                    _result = new KairosResultHeader(_query);
                    _announced = false;
                    _early = null;
                }
                _levels.Push(level == Level.Queries ? Level.Query : Level.Result);
                return true;
            }
            // An object's property: its name, then its value.
            Expect(token, JsonTokenType.PropertyName, "a property");
            var name = r.GetString();
            if (!r.Read()) return false;
            var next = (level, name) switch
            {
                (Level.Root, "queries") => Level.Queries,
                (Level.Query, "results") => Level.Results,
                (Level.Result, "values") => Level.Values,
                _ => Level.Start,
            };
            if (next != Level.Start)
            {
                Expect(r.TokenType, JsonTokenType.StartArray, name!);
                if (next == Level.Values && _result!.Name.Length > 0) Announce(events);
                _levels.Push(next);
                return true;
            }
            if (level == Level.Result && name == "name")
            {
                Expect(r.TokenType, JsonTokenType.String, "name");
                _result!.Name = r.GetString()!;
                return true;
            }
            if (level == Level.Result && name == "tags")
            {
                Expect(r.TokenType, JsonTokenType.StartObject, "tags");
                var start = (int)r.TokenStartIndex;
                if (!r.TrySkip()) return false;
                _result!.Tags = Tags(data[start..(int)r.BytesConsumed]);
                return true;
            }
            return r.TrySkip();
        }

        private void Announce(List<KairosResponseEvent> events)
        {
            if (_announced) return;
            _announced = true;
            events.Add(new(_result!, false, default));
            foreach (var v in _early ?? []) events.Add(new(_result!, true, v));
            _early = null;
        }

        private void EndResult(List<KairosResponseEvent> events)
        {
            if (_result!.Name.Length == 0) throw new InvalidDataException("A result of the answer has no name.");
            Announce(events);
        }

        private static SortedDictionary<string, string[]> Tags(ReadOnlySpan<byte> json)
        {
            var tags = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
            var r = new Utf8JsonReader(json);
            r.Read();
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var key = r.GetString()!;
                r.Read();
                if (r.TokenType == JsonTokenType.String)
                {
                    tags[key] = [r.GetString()!];
                    continue;
                }
                Expect(r.TokenType, JsonTokenType.StartArray, $"tags.{key}");
                var values = new List<string>();
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    Expect(r.TokenType, JsonTokenType.String, $"a value of tags.{key}");
                    values.Add(r.GetString()!);
                }
                tags[key] = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            }
            return tags;
        }

        /// <summary><c>[ms, v]</c>: a number as decimal (beyond decimal's range, its JSON text), anything else as its JSON text.</summary>
        private static KairosValue Value(ReadOnlySpan<byte> json)
        {
            var r = new Utf8JsonReader(json);
            r.Read();
            if (!r.Read() || r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out var time))
                throw new InvalidDataException($"A value is not [timestamp, value]: {Encoding.UTF8.GetString(json)}");
            if (!r.Read() || r.TokenType == JsonTokenType.EndArray)
                throw new InvalidDataException($"A value is not [timestamp, value]: {Encoding.UTF8.GetString(json)}");
            KairosValue value;
            if (r.TokenType == JsonTokenType.Number && r.TryGetDecimal(out var d)) value = new KairosValue(time, d);
            else
            {
                var start = (int)r.TokenStartIndex;
                r.Skip();
                value = new KairosValue(time, 0, Encoding.UTF8.GetString(json[start..(int)r.BytesConsumed]));
            }
            if (!r.Read() || r.TokenType != JsonTokenType.EndArray)
                throw new InvalidDataException($"A value is not [timestamp, value]: {Encoding.UTF8.GetString(json)}");
            return value;
        }

        private static void Expect(JsonTokenType found, JsonTokenType expected, string what)
        {
            if (found != expected) throw new InvalidDataException($"Expected {what} to be {Describe(expected)}, found {Describe(found)}.");
        }

        private static string Describe(JsonTokenType t) => t switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.PropertyName => "a property",
            JsonTokenType.Number => "a number",
            _ => t.ToString(),
        };
    }
}
