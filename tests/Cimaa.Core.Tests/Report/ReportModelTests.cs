using Cimaa.Report;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Core.Tests.Report;

/// <summary>The status page's model and HTML from the known data (<see cref="ReportData"/>), on SQLite and on dynalite.</summary>
public abstract class ReportModelTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private CimaaClient _client = null!;

    protected ManualClock Clock { get; } = new(Now);

    protected abstract ConnectionSettings CreateSettings();

    public async Task InitializeAsync()
    {
        var settings = CreateSettings();
        _client = await TestStores.OpenInitialized(settings);
        await ReportData.SeedAsync(settings, Now);
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private Task<ReportModel> BuildAsync(ReportRequest? request = null) =>
        _client.Report.BuildAsync(request ?? new ReportRequest(ReportRequest.DefaultStaleAfter, [.. ReportData.Metrics.Select(m => ReportMetric.Parse(m))]), OpContext.None);

    [Fact]
    public async Task Agents_come_worst_first_with_their_faults_worst_first()
    {
        var m = await BuildAsync();
        Assert.Equal(ReportData.AgentOrder, m.Agents.Select(a => a.Agent));
        Assert.Equal(["https", "http", "load"], m.Agents[0].Faults.Select(f => f.Name));
        Assert.Equal(("Critical", 2), (m.Agents[0].WorstLevel, m.Agents[0].WorstCount));
        Assert.Null(m.Agents[^1].WorstLevel);
    }

    [Fact]
    public async Task Counts_per_level_leave_out_squelched_faults_and_each_squelch_counts_what_it_silences()
    {
        var m = await BuildAsync();
        var c = ReportData.Counts;
        Assert.Equal((c.Critical, c.Error, c.Warning, c.Info, c.Squelched),
            (m.Count("Critical"), m.Count("Error"), m.Count("Warning"), m.Count("Info"), m.SquelchedCount));
        Assert.Equal(ReportData.Squelches, m.Squelches.Select(s => (s.Squelch.Pattern, s.Silences)));
    }

    [Fact]
    public async Task Stale_agents_follow_the_threshold()
    {
        Assert.Equal(ReportData.StaleAgents, (await BuildAsync()).StaleAgents.Select(a => a.Agent));
        Assert.Equal(["old1"], (await BuildAsync(new ReportRequest(TimeSpan.FromMinutes(90), []))).StaleAgents.Select(a => a.Agent));
        var all = (await BuildAsync(new ReportRequest(TimeSpan.FromMinutes(5), []))).StaleAgents.Select(a => a.Agent).ToList();
        Assert.Equal(ReportData.StaleAgents, all.Take(2));
        Assert.Equal(ReportData.AgentOrder.Order(StringComparer.Ordinal), all.Skip(2).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Sparklines_have_one_point_per_minute_of_the_last_hour_per_stream()
    {
        var m = await BuildAsync();
        Assert.Equal(ReportData.Sparklines, m.Sparklines.Select(s => (s.Metric.Label, s.Series, s.Points.Count)));
        Assert.DoesNotContain(m.Sparklines.SelectMany(s => s.Points), p => p.Value == 999);
        var filtered = await BuildAsync(new ReportRequest(ReportRequest.DefaultStaleAfter, [ReportMetric.Parse("cpu.load{host=web2}")]));
        Assert.Equal([("cpu.load{host=web2}", "host=web2", 5)], filtered.Sparklines.Select(s => (s.Metric.Label, s.Series, s.Points.Count)));
    }

    [Fact]
    public async Task Every_stored_value_is_encoded_and_the_only_script_is_the_refresh()
    {
        var served = await Html(ReportHtml.Options.Served);
        var file = await Html(ReportHtml.Options.File);
        foreach (var html in new[] { served, file })
        {
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("<b>evil", html);
            Assert.Contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;", html);
            Assert.Contains("data-agent=\"&lt;b&gt;evil&lt;/b&gt;&amp;co\"", html);
            Assert.Contains("quote &quot;x&quot; &amp; &#39;y&#39; &lt; z", html);
            Assert.Contains("known leak &lt;script&gt;window.__pwned=3&lt;/script&gt;", html);
            Assert.Contains("expires in 3 days &amp; counting", html);
        }
        Assert.Equal(1, Occurrences(served, "<script"));
        Assert.Contains("<script>" + ReportAssets.Script + "</script>", served);
        Assert.Equal(0, Occurrences(file, "<script"));
        Assert.Contains(ReportAssets.FilePolicy, file);
    }

    private async Task<string> Html(ReportHtml.Options options)
    {
        var w = new StringWriter();
        await _client.Report.WriteAsync(new ReportRequest(ReportRequest.DefaultStaleAfter, []), w, options, OpContext.None);
        return w.ToString();
    }

    private static int Occurrences(string s, string what) => (s.Length - s.Replace(what, "", StringComparison.OrdinalIgnoreCase).Length) / what.Length;
}

public sealed class SqliteReportModelTests : ReportModelTests, IDisposable
{
    private readonly TempDir _dir = new();

    protected override ConnectionSettings CreateSettings() => TestStores.Sqlite(_dir, Clock);

    public void Dispose() => _dir.Dispose();
}

public sealed class DynamoReportModelTests : ReportModelTests
{
    protected override ConnectionSettings CreateSettings() => TestStores.Dynamo(Clock);
}
