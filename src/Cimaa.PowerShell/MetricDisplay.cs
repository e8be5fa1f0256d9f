using System.Collections;
using System.Globalization;

namespace Cimaa;

/// <summary>Helpers the metric views call: millisecond UTC times and tags as k=v;k=v.</summary>
public static class MetricDisplay
{
    /// <summary>"2026-11-23 12:00:00.250Z".</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>"host=web1;dc=eu"; an aggregated series' multimap gives "host=web1,web2".</summary>
    public static string Tags(IDictionary? tags)
    {
        if (tags is null) return "";
        var parts = new List<string>();
        foreach (DictionaryEntry e in tags)
        {
            var value = e.Value is string s ? s
                : e.Value is IEnumerable values ? string.Join(",", values.Cast<object?>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))
                : Convert.ToString(e.Value, CultureInfo.InvariantCulture);
            parts.Add($"{e.Key}={value}");
        }
        return string.Join(";", parts);
    }
}
