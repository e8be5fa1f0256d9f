using System.Globalization;

namespace Cimaa.Report;

/// <summary>Ages and times as the page shows them: the two largest units (<c>3d 4h</c>, <c>2h 14m</c>, <c>5m 2s</c>, <c>40s</c>), as the table views do.</summary>
public static class HumaneAge
{
    public static string Format(TimeSpan age)
    {
        var sign = age < TimeSpan.Zero ? "-" : "";
        var s = age.Duration();
        return sign + (s.TotalDays >= 1 ? $"{(long)s.TotalDays}d {s.Hours}h"
            : s.TotalHours >= 1 ? $"{s.Hours}h {s.Minutes}m"
            : s.TotalMinutes >= 1 ? $"{s.Minutes}m {s.Seconds}s"
            : $"{s.Seconds}s");
    }

    /// <summary>UTC, to the second: <c>2026-11-23 12:00:00Z</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
