using System.Globalization;
using System.Text.RegularExpressions;

namespace Cimaa.Metrics;

/// <summary>
/// Parses the &lt;time&gt; of Get-CimaaMetric: a DateTimeOffset or DateTime, 'now', an absolute date string, or a relative time
/// '-15m', '-2h', '-7d', '-1w' (units s, m, h, d, w, mo = 30 days, y = 365 days; the '-' is optional and always means "ago").
/// </summary>
public static partial class MetricTime
{
    public static DateTimeOffset Parse(object? value, DateTimeOffset now)
    {
        switch (value)
        {
            case DateTimeOffset dto: return dto;
            case DateTime dt: return dt.Kind == DateTimeKind.Utc ? new DateTimeOffset(dt) : new DateTimeOffset(dt.ToUniversalTime());
            case string s: return ParseString(s.Trim(), now) ?? throw Invalid(s);
            default: throw Invalid(value);
        }
    }

    private static DateTimeOffset? ParseString(string s, DateTimeOffset now)
    {
        if (s.Equals("now", StringComparison.OrdinalIgnoreCase)) return now;
        var m = Relative().Match(s);
        if (m.Success)
        {
            if (!long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
            var unitSeconds = m.Groups["u"].Value.ToLowerInvariant() switch
            {
                "s" => 1L,
                "m" => 60L,
                "h" => 3600L,
                "d" => 86400L,
                "w" => 7 * 86400L,
                "mo" => 30 * 86400L,
                "y" => 365 * 86400L,
                _ => 0L,
            };
            try
            {
                return now - TimeSpan.FromSeconds(checked(n * unitSeconds));
            }
            catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
            {
                return null;
            }
        }
        if (s.Length > 0 && char.IsDigit(s[0]) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t;
        }
        return null;
    }

    private static CimaaException Invalid(object? value) =>
        new(ErrorIds.InvalidTime, CimaaErrorCategory.InvalidArgument,
            $"'{value}' is not a time: give a DateTimeOffset, an ISO date, 'now', or a relative time such as -15m, -2h, -7d, -1w, -1mo, -1y.",
            value);

    [GeneratedRegex(@"^-?(?<n>\d{1,12})\s*(?<u>mo|s|m|h|d|w|y)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Relative();
}
