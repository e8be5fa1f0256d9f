using System.Globalization;
using System.Net;

namespace Cimaa.Report;

/// <summary>
/// Writes the status page as one self-contained HTML document: inline style, inline SVG sparklines, and (when served) one
/// small inline refresh script; nothing is loaded from anywhere. Every value from the store goes through
/// <see cref="WebUtility.HtmlEncode(string, TextWriter)"/> (text and double-quoted attributes alike). Written straight to
/// the writer, row by row.
/// </summary>
public static class ReportHtml
{
    /// <summary>How the page is written: with the refresh script (served) or without (a file).</summary>
    public sealed record Options(bool Refresh, string Title = "Cimaa status")
    {
        public static Options Served { get; } = new(true);
        public static Options File { get; } = new(false);
    }

    private const string SvgWidth = "240";
    private const int SvgW = 240, SvgH = 44;

    public static void Write(TextWriter w, ReportModel m, Options options)
    {
        w.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        w.Write("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        if (!options.Refresh) w.Write($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ReportAssets.FilePolicy}\">");
        w.Write("<title>");
        Enc(w, options.Title);
        w.Write("</title><style>");
        w.Write(ReportAssets.Style);
        w.Write("</style></head>\n<body><main>\n<h1>");
        Enc(w, options.Title);
        w.Write("</h1><p class=\"gen\">Generated <time datetime=\"");
        w.Write(m.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        w.Write("\">");
        w.Write(HumaneAge.Time(m.GeneratedAt));
        w.Write("</time>");
        if (options.Refresh) w.Write(" &middot; refreshes every 15 s");
        w.Write("</p>\n");
        Counts(w, m);
        Faults(w, m);
        Stale(w, m);
        Squelches(w, m);
        Sparklines(w, m);
        w.Write("</main>");
        if (options.Refresh)
        {
            w.Write("<script>");
            w.Write(ReportAssets.Script);
            w.Write("</script>");
        }
        w.Write("</body></html>\n");
    }

    /// <summary>The CSS class of a level: lv-c, lv-e, lv-w, lv-i.</summary>
    public static string LevelClass(string? level) => level switch
    {
        "Critical" => "lv-c",
        "Error" => "lv-e",
        "Warning" => "lv-w",
        "Info" => "lv-i",
        _ => "lv-q",
    };

    private static void Counts(TextWriter w, ReportModel m)
    {
        w.Write("<ul class=\"counts\" aria-label=\"Unsquelched faults by level\">");
        foreach (var level in ReportModel.Levels)
        {
            var n = m.Count(level);
            w.Write($"<li class=\"{LevelClass(level)}{(n == 0 ? " zero" : "")}\" data-level=\"{level}\"><b>{n}</b>{level}</li>");
        }
        var sq = m.SquelchedCount;
        var st = m.StaleAgents.Count;
        w.Write($"<li class=\"zero\" data-count=\"squelched\"><b>{sq}</b>Squelched</li>");
        w.Write($"<li class=\"{(st > 0 ? "lv-w" : "zero")}\" data-count=\"stale\"><b>{st}</b>Stale agents</li></ul>\n");
        var worst = m.Agents.Count > 0 ? m.Agents[0] : null;
        if (worst?.WorstLevel is { } wl)
        {
            w.Write($"<p class=\"worst\">Worst: <span class=\"badge {LevelClass(wl)}\">{wl}</span>");
            Enc(w, worst.Agent);
            w.Write($", {worst.WorstCount} {wl} {(worst.WorstCount == 1 ? "fault" : "faults")}</p>\n");
        }
        else if (m.FaultCount == 0) w.Write("<p class=\"worst\">No faults.</p>\n");
        else w.Write("<p class=\"worst\">Every fault is squelched.</p>\n");
    }

    private static void Faults(TextWriter w, ReportModel m)
    {
        w.Write($"<section id=\"faults\"><h2>Faults ({m.FaultCount} on {m.Agents.Count} {(m.Agents.Count == 1 ? "agent" : "agents")})</h2>\n");
        if (m.Agents.Count == 0)
        {
            w.Write("<p class=\"none\">No current faults.</p></section>\n");
            return;
        }
        w.Write("<table class=\"faults\"><thead><tr><th scope=\"col\">Level</th><th scope=\"col\">Fault</th><th scope=\"col\">Since</th>" +
                "<th scope=\"col\">Message</th><th scope=\"col\">Squelched by</th></tr></thead>\n");
        foreach (var a in m.Agents)
        {
            w.Write("<tbody data-agent=\"");
            Enc(w, a.Agent);
            w.Write("\"><tr class=\"agent\"><th colspan=\"5\" scope=\"rowgroup\">");
            w.Write(a.WorstLevel is { } wl ? $"<span class=\"badge {LevelClass(wl)}\">{wl}</span>" : "<span class=\"badge lv-q\">Squelched</span>");
            Enc(w, a.Agent);
            w.Write($" <small>{a.Faults.Count} {(a.Faults.Count == 1 ? "fault" : "faults")}{(a.Squelched > 0 ? $", {a.Squelched} squelched" : "")}</small></th></tr>\n");
            foreach (var f in a.Faults)
            {
                w.Write($"<tr class=\"{LevelClass(f.Level)}{(f.Squelch is null ? "" : " sq")}\"><td class=\"lv\">{f.Level}</td><td>");
                Enc(w, f.Name);
                w.Write($"</td><td title=\"{HumaneAge.Time(f.Since)}\">{HumaneAge.Format(m.GeneratedAt - f.Since)}</td><td class=\"msg\">");
                Enc(w, f.Message);
                w.Write("</td><td class=\"sqp\">");
                if (f.Squelch is { } p)
                {
                    w.Write("<code>");
                    Enc(w, p);
                    w.Write("</code>");
                }
                w.Write("</td></tr>\n");
            }
            w.Write("</tbody>\n");
        }
        w.Write("</table></section>\n");
    }

    private static void Stale(TextWriter w, ReportModel m)
    {
        w.Write($"<section id=\"stale\"><h2>Stale agents ({m.StaleAgents.Count}, no heartbeat for {HumaneAge.Format(m.StaleAfter)})</h2>\n");
        if (m.StaleAgents.Count == 0)
        {
            w.Write("<p class=\"none\">No stale agents.</p></section>\n");
            return;
        }
        w.Write("<table class=\"stale\"><thead><tr><th scope=\"col\">Agent</th><th scope=\"col\">Last seen</th><th scope=\"col\">Age</th></tr></thead><tbody>\n");
        foreach (var a in m.StaleAgents)
        {
            w.Write("<tr><td>");
            Enc(w, a.Agent);
            w.Write($"</td><td>{HumaneAge.Time(a.LastSeen)}</td><td>{HumaneAge.Format(a.Age)}</td></tr>\n");
        }
        w.Write("</tbody></table></section>\n");
    }

    private static void Squelches(TextWriter w, ReportModel m)
    {
        w.Write($"<section id=\"squelches\"><h2>Squelches ({m.Squelches.Count})</h2>\n");
        if (m.Squelches.Count == 0)
        {
            w.Write("<p class=\"none\">No squelches.</p></section>\n");
            return;
        }
        w.Write("<table class=\"squelches wide\"><thead><tr><th scope=\"col\">Pattern</th><th scope=\"col\">Silences</th><th scope=\"col\">User</th>" +
                "<th scope=\"col\">Reason</th><th scope=\"col\">Age</th><th scope=\"col\">Expires</th><th scope=\"col\">Permanent</th></tr></thead><tbody>\n");
        foreach (var u in m.Squelches)
        {
            var s = u.Squelch;
            w.Write("<tr><td><code>");
            Enc(w, s.Pattern);
            w.Write($"</code></td><td class=\"n\">{u.Silences}</td><td>");
            Enc(w, s.User);
            w.Write("</td><td class=\"msg\">");
            Enc(w, s.Reason);
            w.Write($"</td><td>{HumaneAge.Format(s.Age)}</td><td>");
            w.Write(s.Expires is not { } e ? "never" : s.IsExpired ? $"expired {HumaneAge.Time(e)}" : HumaneAge.Time(e));
            w.Write($"</td><td>{(s.Permanent ? "yes" : "no")}</td></tr>\n");
        }
        w.Write("</tbody></table></section>\n");
    }

    private static void Sparklines(TextWriter w, ReportModel m)
    {
        if (m.Sparklines.Count == 0) return;
        w.Write($"<section id=\"metrics\"><h2>Metrics (last {HumaneAge.Format(m.Window)})</h2><div class=\"sparks\">\n");
        var endMs = m.GeneratedAt.ToUnixTimeMilliseconds();
        var startMs = endMs - (long)m.Window.TotalMilliseconds;
        foreach (var s in m.Sparklines)
        {
            w.Write("<figure class=\"spark\" data-metric=\"");
            Enc(w, s.Metric.Label);
            w.Write("\" data-series=\"");
            Enc(w, s.Series);
            w.Write($"\" data-points=\"{s.Points.Count}\">");
            Svg(w, s, startMs, endMs);
            w.Write("<figcaption><b>");
            Enc(w, s.Metric.Label);
            w.Write("</b>");
            if (s.Series.Length > 0)
            {
                w.Write(" <code>");
                Enc(w, s.Series);
                w.Write("</code>");
            }
            w.Write("<br>");
            if (s.Points.Count == 0) w.Write("no data");
            else
            {
                w.Write($"last {Num(s.Points[^1].Value)} &middot; min {Num(s.Points.Min(p => p.Value))} &middot; max {Num(s.Points.Max(p => p.Value))}");
            }
            if (s.MoreStreams > 0) w.Write($"<br>{s.MoreStreams} more series not drawn");
            w.Write("</figcaption></figure>\n");
        }
        w.Write("</div></section>\n");
    }

    private static void Svg(TextWriter w, Sparkline s, long startMs, long endMs)
    {
        w.Write($"<svg viewBox=\"0 0 {SvgW} {SvgH}\" width=\"{SvgWidth}\" height=\"{SvgH}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"");
        Enc(w, s.Metric.Label + (s.Series.Length > 0 ? " " + s.Series : ""));
        w.Write("\">");
        if (s.Points.Count > 0)
        {
            var min = s.Points.Min(p => p.Value);
            var max = s.Points.Max(p => p.Value);
            var span = (double)(max - min);
            var range = Math.Max(1, endMs - startMs);
            string X(long ms) => Num((decimal)Math.Round(Math.Clamp((ms - startMs) / (double)range, 0, 1) * SvgW, 1));
            string Y(decimal v) => Num((decimal)Math.Round(span == 0 ? SvgH / 2.0 : SvgH - 2 - (double)(v - min) / span * (SvgH - 4), 1));
            w.Write("<polyline points=\"");
            for (var i = 0; i < s.Points.Count; i++)
            {
                if (i > 0) w.Write(' ');
                w.Write(X(s.Points[i].Ms));
                w.Write(',');
                w.Write(Y(s.Points[i].Value));
            }
            w.Write("\"/>");
            var last = s.Points[^1];
            w.Write($"<circle cx=\"{X(last.Ms)}\" cy=\"{Y(last.Value)}\" r=\"2.5\"/>");
        }
        w.Write("</svg>");
    }

    private static string Num(decimal d) => d.ToString("0.###", CultureInfo.InvariantCulture);

    private static void Enc(TextWriter w, string? value)
    {
        if (!string.IsNullOrEmpty(value)) WebUtility.HtmlEncode(value, w);
    }
}
