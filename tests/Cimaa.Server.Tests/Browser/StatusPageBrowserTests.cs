using System.Text;
using System.Text.Json;
using Cimaa.Report;
using Cimaa.Storage;
using Cimaa.Testing;
using PuppeteerSharp;

namespace Cimaa.Server.Tests.Browser;

/// <summary>What the tests read from the DOM (<see cref="StatusPageBrowserTests.ReadDom"/>).</summary>
public sealed record DomSnapshot(string[] Agents, Dictionary<string, int> Counts, string[] Web1Levels, string[] Squelched, string[] Squelches,
    string[] Stale, string[] Sparks, string[] Web1Messages, int Images, int Scripts, int AgentMarkup, string Pwned, int ScrollWidth);

/// <summary>
/// The served page and the exported file in headless Chromium, on both stores with the known data: the DOM shows the agents,
/// levels, counts, squelch markers and sparkline points; stored markup shows as text and runs nothing; screenshots at 390
/// and 1440 px go to out/TestResults.
/// </summary>
public abstract class StatusPageBrowserTests(IStatusServer status, BrowserFixture chromium, string store)
{
    private static readonly TimeSpan Step = BrowserFixture.StepTimeout;

    private const string ReadDom = """
        (() => {
          const q = s => Array.from(document.querySelectorAll(s));
          const t = e => e ? e.textContent : null;
          return JSON.stringify({
            agents: q('tbody[data-agent]').map(e => e.dataset.agent),
            counts: Object.fromEntries(q('ul.counts li').map(li => [li.dataset.level || li.dataset.count, +t(li.querySelector('b'))])),
            web1Levels: q('tbody[data-agent="web1"] tr:not(.agent) td.lv').map(t),
            squelched: q('tr.sq td.sqp').map(t),
            squelches: q('table.squelches tbody tr').map(r => t(r.cells[0]) + '=' + t(r.cells[1])),
            stale: q('table.stale tbody tr').map(r => t(r.cells[0])),
            sparks: q('figure.spark').map(f => f.dataset.metric + '|' + f.dataset.series + '|' +
              (f.querySelector('polyline') ? f.querySelector('polyline').getAttribute('points').split(' ').filter(Boolean).length : 0)),
            web1Messages: q('tbody[data-agent="web1"] td.msg').map(t),
            images: q('img').length,
            scripts: q('script').length,
            agentMarkup: q('tr.agent th b').length,
            pwned: typeof window.__pwned,
            scrollWidth: document.documentElement.scrollWidth
          });
        })()
        """;

    private static readonly string BasicHeader = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestKeys.StatusRead.Id}:{TestKeys.StatusRead.Secret}"));

    private async Task<(IPage Page, List<string> Requests)> OpenAsync(string url, int width, bool basic)
    {
        var page = await chromium.Browser.NewPageAsync().WaitAsync(Step);
        page.DefaultTimeout = (int)Step.TotalMilliseconds;
        var requests = new List<string>();
        page.Request += (_, e) => { lock (requests) requests.Add(e.Request.Url); };
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = 900 }).WaitAsync(Step);
        if (basic) await page.SetExtraHttpHeadersAsync(new Dictionary<string, string> { ["Authorization"] = BasicHeader }).WaitAsync(Step);
        var response = await page.GoToAsync(url, WaitUntilNavigation.Load).WaitAsync(Step);
        Assert.True(response.Ok, $"{url}: {response.Status}");
        return (page, requests);
    }

    private static async Task<DomSnapshot> SnapshotAsync(IPage page) =>
        JsonSerializer.Deserialize<DomSnapshot>(await page.EvaluateExpressionAsync<string>(ReadDom).WaitAsync(Step), JsonSerializerOptions.Web)!;

    private static string Json(DomSnapshot dom) => JsonSerializer.Serialize(dom, JsonSerializerOptions.Web);

    private async Task ScreenshotAsync(IPage page, string what, int width) =>
        await page.ScreenshotAsync(Path.Combine(BrowserFixture.ResultsDirectory, $"status-{what}-{store}-{width}px.png"),
            new ScreenshotOptions { FullPage = true }).WaitAsync(Step);

    /// <summary>The DOM the known data gives, whatever the page's width.</summary>
    private static void AssertKnownData(DomSnapshot dom)
    {
        Assert.Equal(ReportData.AgentOrder, dom.Agents);
        var c = ReportData.Counts;
        Assert.Equal(new Dictionary<string, int>
        {
            ["Critical"] = c.Critical, ["Error"] = c.Error, ["Warning"] = c.Warning, ["Info"] = c.Info, ["squelched"] = c.Squelched,
            ["stale"] = ReportData.StaleAgents.Length,
        }, dom.Counts);
        Assert.Equal(["Critical", "Critical", "Warning"], dom.Web1Levels);
        Assert.Equal(["replication", "^mem$"], dom.Squelched);
        Assert.Equal(ReportData.Squelches.Select(s => $"{s.Pattern}={s.Silences}"), dom.Squelches);
        Assert.Equal(ReportData.StaleAgents, dom.Stale);
        Assert.Equal(ReportData.Sparklines.Select(s => $"{s.Metric}|{s.Series}|{s.Points}"), dom.Sparks);
        // Stored markup is text: the payload reads back as typed, made no element and ran nothing.
        Assert.Contains(ReportData.Payload, dom.Web1Messages);
        Assert.Equal((0, 0, "undefined"), (dom.Images, dom.AgentMarkup, dom.Pwned));
    }

    [Fact]
    public async Task The_served_page_shows_the_known_data_at_both_widths_and_runs_no_stored_script()
    {
        await status.SeededAsync();
        foreach (var width in new[] { 1440, 390 })
        {
            var (page, requests) = await OpenAsync(status.Server.BaseUri.ToString(), width, basic: true);
            await using var _ = page;
            var dom = await SnapshotAsync(page);
            AssertKnownData(dom);
            Assert.Equal(1, dom.Scripts);
            Assert.True(dom.ScrollWidth <= width, $"the page is {dom.ScrollWidth} px wide at {width} px");
            Assert.All(requests, u => Assert.StartsWith(status.Server.BaseUri.ToString(), u));
            await ScreenshotAsync(page, "served", width);
        }
    }

    [Fact]
    public async Task The_exported_file_opens_offline_with_the_same_content_as_the_served_page()
    {
        await status.SeededAsync();
        using var dir = new TempDir();
        await using (var client = StoreFactory.Open(status.Server.Settings))
        {
            await client.Report.ExportAsync(new ReportRequest(ReportRequest.DefaultStaleAfter, [.. ReportData.Metrics.Select(ReportMetric.Parse)]),
                dir.File("status.html"), OpContext.None);
        }
        var (served, _) = await OpenAsync(status.Server.BaseUri.ToString(), 1440, basic: true);
        await using var _s = served;
        var servedDom = await SnapshotAsync(served);
        foreach (var width in new[] { 1440, 390 })
        {
            var url = new Uri(dir.File("status.html")).AbsoluteUri;
            var (page, requests) = await OpenAsync(url, width, basic: false);
            await using var _p = page;
            var dom = await SnapshotAsync(page);
            AssertKnownData(dom);
            Assert.Equal(0, dom.Scripts);
            Assert.Equal(Json(servedDom with { Scripts = 0, ScrollWidth = 0 }), Json(dom with { ScrollWidth = 0 }));
            Assert.True(dom.ScrollWidth <= width, $"the file is {dom.ScrollWidth} px wide at {width} px");
            Assert.Equal([url], requests.Distinct());
            await ScreenshotAsync(page, "file", width);
        }
    }

    [Fact]
    public async Task The_refresh_swaps_main_in_place_and_the_policy_stops_injected_handlers()
    {
        await status.SeededAsync();
        var (page, requests) = await OpenAsync(status.Server.BaseUri.ToString(), 1440, basic: true);
        await using var _ = page;
        await page.EvaluateExpressionAsync("document.querySelector('main').dataset.old = 'yes'").WaitAsync(Step);
        await page.EvaluateExpressionAsync("cimaaRefresh()").WaitAsync(Step);
        Assert.Equal("none", await page.EvaluateExpressionAsync<string>("document.querySelector('main').dataset.old || 'none'").WaitAsync(Step));
        Assert.Equal(1, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('main').length").WaitAsync(Step));
        AssertKnownData(await SnapshotAsync(page));
        Assert.Equal(2, requests.Count(u => u == status.Server.BaseUri.ToString()));
        // Markup added to the page at run time still cannot run script: the policy reports the inline handler.
        var directive = await page.EvaluateExpressionAsync<string>("""
            new Promise(done => {
              document.addEventListener('securitypolicyviolation', e => done(e.effectiveDirective), { once: true });
              document.querySelector('main').insertAdjacentHTML('beforeend', '<svg><a onmouseover="x"></a><image href="x" onerror="window.__pwned=4"/></svg><div onclick="1" id="probe"></div>');
              document.getElementById('probe').click();
            })
            """).WaitAsync(Step);
        Assert.StartsWith("script-src", directive);
        Assert.Equal("undefined", await page.EvaluateExpressionAsync<string>("typeof window.__pwned").WaitAsync(Step));
    }
}

[Collection(SharedChromium.Name)]
public sealed class SqliteStatusPageBrowserTests(SqliteStatusServer server, BrowserFixture chromium)
    : StatusPageBrowserTests(server, chromium, "sqlite"), IClassFixture<SqliteStatusServer>;

[Collection(SharedChromium.Name)]
public sealed class DynamoStatusPageBrowserTests(DynamoStatusServer server, BrowserFixture chromium)
    : StatusPageBrowserTests(server, chromium, "dynamodb"), IClassFixture<DynamoStatusServer>;
