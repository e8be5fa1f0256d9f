using System.Globalization;

namespace Cimaa;

/// <summary>Helpers the format views call: humane durations and compact UTC times.</summary>
public static class Display
{
    /// <summary>"45s", "12m 5s", "3h 4m", "2d 5h"; null gives "".</summary>
    public static string Duration(TimeSpan? span)
    {
        if (span is not { } s) return "";
        var sign = s < TimeSpan.Zero ? "-" : "";
        s = s.Duration();
        return sign + (s.TotalDays >= 1 ? $"{(int)s.TotalDays}d {s.Hours}h"
            : s.TotalHours >= 1 ? $"{s.Hours}h {s.Minutes}m"
            : s.TotalMinutes >= 1 ? $"{s.Minutes}m {s.Seconds}s"
            : $"{s.Seconds}s");
    }

    /// <summary>"2026-11-23 12:00:00Z"; null gives "".</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
}
