using System.Globalization;
using System.Text;

namespace Cimaa.Metrics;

/// <summary>
/// The Amondawa key layout: <c>key = domain|metric|basetime|tagstring</c>, <c>dm = domain|metric</c>,
/// <c>bt = basetime (15 digits) + '|' + tagstring</c>, with one-hour columns (basetime = t - t mod 3600000).
/// </summary>
public static class MetricKeys
{
    public const long ColumnMs = 3_600_000;
    public const char Separator = '|';

    public static long BaseTime(long timestampMs) => timestampMs - timestampMs % ColumnMs;

    /// <summary>When a point expires (epoch s): its whole second plus the retention.</summary>
    public static long PointExpires(long timestampMs, long retentionSeconds) => FloorDiv(timestampMs, 1000) + retentionSeconds;

    /// <summary>The retention a stored point carries: the inverse of <see cref="PointExpires"/>.</summary>
    public static long Retention(long timestampMs, long pointExpires) => pointExpires - FloorDiv(timestampMs, 1000);

    /// <summary>When a column's index entry expires (epoch s): the end of the column plus the retention.</summary>
    public static long IndexExpires(long baseTime, long retentionSeconds) => (baseTime + ColumnMs) / 1000 + retentionSeconds;

    private static long FloorDiv(long a, long b) => a / b - (a % b < 0 ? 1 : 0);

    public static string DomainMetric(string domain, string metric) => domain + Separator + metric;

    public static string Key(string domain, string metric, long baseTime, string tagString) =>
        string.Concat(domain, "|", metric, "|", baseTime.ToString(CultureInfo.InvariantCulture), "|", tagString);

    public static string Pad(long baseTime) => baseTime.ToString("D15", CultureInfo.InvariantCulture);

    public static string BaseTag(long baseTime, string tagString) => Pad(baseTime) + Separator + tagString;

    /// <summary>The inclusive bt range of the columns that can hold points in [startMs, endMs].</summary>
    public static (string From, string To) BaseTagRange(long startMs, long endMs) =>
        (Pad(BaseTime(startMs)) + "|", Pad(BaseTime(endMs)) + "}");

    /// <summary>Splits a bt back into the basetime and the tagstring.</summary>
    public static (long BaseTime, string TagString) ParseBaseTag(string bt)
    {
        var bar = bt.IndexOf(Separator);
        return (long.Parse(bar < 0 ? bt : bt[..bar], CultureInfo.InvariantCulture), bar < 0 ? "" : bt[(bar + 1)..]);
    }

    /// <summary>Tags sorted by key (ordinal) as k=v joined with ';', with '=', ';' and '%' percent-encoded.</summary>
    public static string TagString(IEnumerable<KeyValuePair<string, string>> tags)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (sb.Length > 0) sb.Append(';');
            Escape(sb, k);
            sb.Append('=');
            Escape(sb, v);
        }
        return sb.ToString();
    }

    /// <summary>The tags of a tagstring, sorted by key.</summary>
    public static SortedDictionary<string, string> ParseTags(string tagString)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (tagString.Length == 0) return tags;
        foreach (var pair in tagString.Split(';'))
        {
            var eq = pair.IndexOf('=');
            if (eq < 0) continue;
            tags[Unescape(pair[..eq])] = Unescape(pair[(eq + 1)..]);
        }
        return tags;
    }

    private static void Escape(StringBuilder sb, string s)
    {
        foreach (var c in s)
        {
            switch (c)
            {
                case '%': sb.Append("%25"); break;
                case '=': sb.Append("%3D"); break;
                case ';': sb.Append("%3B"); break;
                default: sb.Append(c); break;
            }
        }
    }

    private static string Unescape(string s) =>
        s.Contains('%') ? s.Replace("%3D", "=").Replace("%3B", ";").Replace("%25", "%") : s;
}
