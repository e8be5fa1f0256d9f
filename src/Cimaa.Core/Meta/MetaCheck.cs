using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cimaa.Agents;
using Cimaa.Faults;
using Cimaa.Squelches;

namespace Cimaa.Meta;

/// <summary>Thresholds of Invoke-CimaaMetaCheck.</summary>
public sealed record MetaCheckOptions(TimeSpan Warning, TimeSpan Error, TimeSpan SquelchAge)
{
    public static MetaCheckOptions Default { get; } = new(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(300), TimeSpan.FromMinutes(60));
}

/// <summary>
/// zc.cimaa's meta monitor: stale agents and long-lived non-permanent squelches become faults of the agent <c>//meta</c>.
/// </summary>
public sealed class MetaCheck(AgentService agents, SquelchService squelches, TimeProvider clock)
{
    public const string Agent = "//meta";

    public async Task<List<Fault>> RunAsync(MetaCheckOptions options, OpContext op)
    {
        var now = clock.GetUtcNow();
        var faults = new List<Fault>();
        await foreach (var agent in agents.GetStaleAsync(options.Warning, op).ConfigureAwait(false))
        {
            var severity = agent.Age > options.Error ? Severities.Error : Severities.Warning;
            faults.Add(Make(agent.Agent, severity, "Inactive agent", now));
        }
        foreach (var s in await squelches.GetAllAsync(op).ConfigureAwait(false))
        {
            if (s.Permanent || s.Age <= options.SquelchAge) continue;
            var minutes = (long)Math.Floor(s.Age.TotalMinutes);
            faults.Add(Make("squelch-" + UrlQuote(s.Pattern), Severities.Error,
                $"Alerts squelched {minutes} minutes ago by {s.User} because {s.Reason}", now));
        }
        return faults;
    }

    /// <summary>The zc.cimaa JSON check protocol: {"faults":[{"name":..,"severity":..,"message":..}]}, nothing else.</summary>
    public static string ToJson(IEnumerable<Fault> faults)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("faults");
            foreach (var f in faults)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteNumber("severity", f.Severity);
                w.WriteString("message", f.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Python's urllib quote: letters, digits, '_.-~' and '/' stay; every other UTF-8 byte becomes %XX.</summary>
    public static string UrlQuote(string text)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~' or '/') sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static Fault Make(string name, int severity, string message, DateTimeOffset now) =>
        new() { Agent = Agent, Name = name, Severity = severity, Message = message, Since = now, Updated = now };
}
