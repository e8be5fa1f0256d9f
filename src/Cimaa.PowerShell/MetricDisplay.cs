using System.Collections;

namespace Cimaa;

/// <summary>Helpers the metric views call: millisecond UTC times and tags as k=v;k=v, for live and deserialized points.</summary>
public static class MetricDisplay
{
    /// <summary>"2026-11-23 12:00:00.250Z".</summary>
    public static string Time(object? time) => Display.Format(time, "yyyy-MM-dd HH:mm:ss.fff'Z'");

    /// <summary>"host=web1;dc=eu"; an aggregated series' multimap gives "host=web1,web2".</summary>
    public static string Tags(object? tags)
    {
        if (Display.Unwrap(tags) is not IDictionary map) return "";
        var parts = new List<string>();
        foreach (DictionaryEntry e in map)
        {
            var item = Display.Unwrap(e.Value);
            var value = item is string s ? s
                : item is IEnumerable values ? string.Join(",", values.Cast<object?>().Select(Display.Text))
                : Display.Text(item);
            parts.Add($"{e.Key}={value}");
        }
        return string.Join(";", parts);
    }
}
