using System.Security.Cryptography;
using System.Text;

namespace Cimaa.Report;

/// <summary>The page's inline style and refresh script, and the Content-Security-Policy that allows exactly them.</summary>
public static class ReportAssets
{
    /// <summary>
    /// Every 15 s (and when called as <c>cimaaRefresh()</c>): fetch the page again and swap its &lt;main&gt; in place. The
    /// fetched page is parsed by DOMParser, which runs no script; a failed fetch leaves the page as it is.
    /// </summary>
    public const string Script =
        "function cimaaRefresh(){return fetch(location.href,{cache:\"no-store\",credentials:\"same-origin\"})" +
        ".then(function(r){return r.ok?r.text():null}).then(function(t){if(!t)return;" +
        "var m=new DOMParser().parseFromString(t,\"text/html\").querySelector(\"main\");" +
        "if(m)document.querySelector(\"main\").replaceWith(m)}).catch(function(){})}" +
        "setInterval(cimaaRefresh,15000);";

    /// <summary>The base64 SHA-256 of <see cref="Script"/>, as CSP's script-src names it.</summary>
    public static string ScriptHash { get; } = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script)));

    /// <summary>
    /// The policy of the served page: nothing from anywhere but the inline style, data: images, the one inline script (by its
    /// hash) and fetches of the page itself; no base, no form, no framing.
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{ScriptHash}'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The policy of the exported file, in a meta element: no script at all.</summary>
    public const string FilePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    public const string Style =
        ":root{--c:#b3001b;--e:#d9480f;--w:#e8a200;--i:#1d5fbf;--mut:#6b7280;--line:#d8dce2;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#16181d;background:#fff}" +
        "body{margin:0}main{max-width:1400px;margin:0 auto;padding:12px 16px 32px}" +
        "h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}" +
        ".gen{color:var(--mut);margin:0 0 .8rem;font-size:.9rem}" +
        ".counts{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:0 0 .6rem}" +
        ".counts li{border:2px solid var(--line);border-radius:6px;padding:.35rem .7rem;min-width:5.5rem;font-size:.95rem}" +
        ".counts b{display:block;font-size:1.7rem;line-height:1.1}" +
        ".counts li.lv-c{background:var(--c);border-color:var(--c);color:#fff}.counts li.lv-e{background:var(--e);border-color:var(--e);color:#fff}" +
        ".counts li.lv-w{background:var(--w);border-color:var(--w);color:#111}.counts li.lv-i{background:var(--i);border-color:var(--i);color:#fff}" +
        ".counts li.zero{background:#fff;color:var(--mut);border-color:var(--line)}" +
        ".worst{font-size:1.05rem;font-weight:600;margin:.4rem 0 0}" +
        "table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .45rem;vertical-align:top;border-bottom:1px solid var(--line)}" +
        "thead th{background:#f3f4f6;font-weight:600}td.msg{overflow-wrap:anywhere;white-space:pre-wrap}td.n{text-align:right}" +
        "tr.agent th{background:#eef0f3;font-size:1rem;padding-top:.55rem;border-top:2px solid #9aa1ab}tr.agent small{font-weight:400;color:var(--mut)}" +
        ".lv{font-weight:700;white-space:nowrap}.badge{display:inline-block;border-radius:4px;padding:0 .4rem;margin-right:.4rem;color:#fff;font-size:.85rem}" +
        "tr.lv-c td:first-child{box-shadow:inset 6px 0 var(--c)}tr.lv-e td:first-child{box-shadow:inset 6px 0 var(--e)}" +
        "tr.lv-w td:first-child{box-shadow:inset 6px 0 var(--w)}tr.lv-i td:first-child{box-shadow:inset 6px 0 var(--i)}" +
        "td.lv{padding-left:.8rem}tr.lv-c .lv{color:var(--c)}tr.lv-e .lv{color:var(--e)}tr.lv-w .lv{color:#8a5a00}tr.lv-i .lv{color:var(--i)}" +
        ".badge.lv-c{background:var(--c)}.badge.lv-e{background:var(--e)}.badge.lv-w{background:var(--w);color:#111}.badge.lv-i{background:var(--i)}.badge.lv-q{background:var(--mut)}" +
        "tr.sq td{color:var(--mut)}tr.sq .lv{color:var(--mut)}tr.sq td:first-child{box-shadow:inset 6px 0 #c4c8cf}" +
        "code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;overflow-wrap:anywhere}" +
        ".none{color:var(--mut)}.sparks{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:10px}" +
        "figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:.4rem .5rem}figcaption{font-size:.8rem;overflow-wrap:anywhere}" +
        "figcaption b{font-size:.9rem}svg{display:block;width:100%;height:44px}polyline{fill:none;stroke:var(--i);stroke-width:1.5}circle{fill:var(--i)}" +
        "@media (max-width:640px){main{padding:8px}.counts li{min-width:4.2rem;padding:.25rem .5rem}.counts b{font-size:1.4rem}" +
        "table.faults thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}" +
        "table.faults tr:not(.agent){display:grid;grid-template-columns:auto 1fr auto}table.faults td{border:0}" +
        "table.faults tr:not(.agent){border-bottom:1px solid var(--line)}table.faults td.msg,table.faults td.sqp{grid-column:1/-1;padding-top:0}" +
        "table.faults td.sqp:empty{display:none}table.faults td.sqp::before{content:\"squelched by \"}table.wide{display:block;overflow-x:auto}" +
        "table.wide td{white-space:nowrap}table.wide td.msg{white-space:normal;min-width:11rem}table.wide code{overflow-wrap:normal}}";
}
