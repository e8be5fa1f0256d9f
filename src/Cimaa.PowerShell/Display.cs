using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace Cimaa;

/// <summary>
/// Helpers the format views call: humane durations and compact UTC times. They take the live values, and also what a
/// serialization round trip (Start-Job, Import-Clixml) leaves of them: a time as its text or as a property bag with UtcTicks,
/// a duration as its text or a bag with Ticks.
/// </summary>
public static class Display
{
    /// <summary>"45s", "12m 5s", "3h 4m", "2d 5h"; null or an unreadable value gives "".</summary>
    public static string Duration(object? span)
    {
        return AsDuration(span) is { } s ? Report.HumaneAge.Format(s) : "";
    }

    /// <summary>"2026-11-23 12:00:00Z"; null gives "", and text that is not a time is shown as it is.</summary>
    public static string Time(object? time) => Format(time, "yyyy-MM-dd HH:mm:ss'Z'");

    /// <summary>Formats a time in UTC with <paramref name="format"/>; text that is not a time is shown as it is.</summary>
    internal static string Format(object? time, string format) =>
        AsTime(time) is { } t ? t.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) : Unwrap(time) as string ?? "";

    /// <summary>A DateTimeOffset, DateTime, the text of either, or a deserialized DateTimeOffset (a bag with UtcTicks).</summary>
    internal static DateTimeOffset? AsTime(object? value)
    {
        switch (Unwrap(value))
        {
            case DateTimeOffset d:
                return d;
            case DateTime dt:
                return dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt.ToUniversalTime());
            case string s when s.Length > 0:
                const DateTimeStyles styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;
                return DateTimeOffset.TryParse(s, CultureInfo.CurrentCulture, styles, out var local) ? local
                    : DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, styles, out var invariant) ? invariant
                    : null;
            case PSObject bag:
                if (Property(bag, "UtcTicks") is long ticks) return new DateTimeOffset(ticks, TimeSpan.Zero);
                return Property(bag, "UtcDateTime") is DateTime utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : null;
            default:
                return null;
        }
    }

    /// <summary>A TimeSpan, its text ("1.02:03:04"), or a deserialized TimeSpan (a bag with Ticks).</summary>
    internal static TimeSpan? AsDuration(object? value) => Unwrap(value) switch
    {
        TimeSpan t => t,
        string s when TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var parsed) => parsed,
        PSObject bag when Property(bag, "Ticks") is long ticks => TimeSpan.FromTicks(ticks),
        _ => null,
    };

    /// <summary>
    /// An option's values as the ConfigOption view shows them: <c>host=h; list=[1, 2]; pool={max, min}</c>. Lists may be
    /// object[] (live) or ArrayList (deserialized); maps show their keys.
    /// </summary>
    public static string ConfigValues(object? values)
    {
        if (Unwrap(values) is not IDictionary map) return Convert.ToString(Unwrap(values), CultureInfo.InvariantCulture) ?? "";
        var parts = new List<string>();
        foreach (DictionaryEntry e in map)
        {
            var value = Unwrap(e.Value);
            parts.Add(value switch
            {
                IDictionary inner => $"{e.Key}={{{string.Join(", ", inner.Keys.Cast<object>())}}}",
                string s => $"{e.Key}={s}",
                IEnumerable list => $"{e.Key}=[{string.Join(", ", list.Cast<object?>().Select(Text))}]",
                _ => $"{e.Key}={Text(value)}",
            });
        }
        return string.Join("; ", parts);
    }

    /// <summary>A value as PowerShell would put it in a string: invariant culture, $null as "", True/False.</summary>
    internal static string Text(object? value) => Unwrap(value) switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };

    /// <summary>The base object of a PSObject, unless it is a property bag (a deserialized object), which stays a PSObject.</summary>
    internal static object? Unwrap(object? value) =>
        value is PSObject ps && ps.BaseObject is not PSCustomObject ? ps.BaseObject : value;

    private static object? Property(PSObject bag, string name) => Unwrap(bag.Properties[name]?.Value);
}
