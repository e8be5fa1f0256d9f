using Cimaa.Storage;
using Cimaa.Report;
using Cimaa.Testing;

namespace Cimaa.Core.Tests.Report;

/// <summary>The exported file (atomic, self-contained) and the page's size at 1,000 agents, 5,000 faults and 200 squelches.</summary>
public class ReportFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A client on an SQLite file in <paramref name="dir"/> holding the report's known data.</summary>
    private static async Task<CimaaClient> OpenSeededAsync(TempDir dir)
    {
        var settings = TestStores.Sqlite(dir, new ManualClock(Now));
        await ReportData.SeedAsync(settings, Now);
        return StoreFactory.Open(settings);
    }

    [Fact]
    public async Task Export_writes_the_page_through_a_temporary_file_and_replaces_an_old_one()
    {
        using var dir = new TempDir();
        await using var client = await OpenSeededAsync(dir);
        var target = dir.File("status.html");
        File.WriteAllText(target, "old");
        var written = await client.Report.ExportAsync(new ReportRequest(ReportRequest.DefaultStaleAfter, []), target, OpContext.None);
        Assert.Equal(target, written);
        var html = File.ReadAllText(target);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("data-agent=\"web1\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.Equal(["cimaa.db", "status.html"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Where(n => !n!.StartsWith("cimaa.db-", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task A_failed_export_leaves_the_old_file_and_no_temporary_file()
    {
        using var dir = new TempDir();
        await using var client = await OpenSeededAsync(dir);
        var target = dir.File("status.html");
        File.WriteAllText(target, "old");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.Report.ExportAsync(ReportRequest.Default, target, new OpContext(NullOperationLog.Instance, cancelled.Token)));
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(dir.Path, ".status*")));

        var missing = Path.Combine(dir.Path, "no-such-folder", "status.html");
        var e = await Assert.ThrowsAsync<CimaaException>(() => client.Report.ExportAsync(ReportRequest.Default, missing, OpContext.None));
        Assert.Equal((ReportErrorIds.ReportFileError, CimaaErrorCategory.ObjectNotFound), (e.ErrorId, e.Category));
        Assert.False(File.Exists(missing));
        e = await Assert.ThrowsAsync<CimaaException>(() => client.Report.ExportAsync(ReportRequest.Default, dir.Path, OpContext.None));
        Assert.Equal(ReportErrorIds.ReportFileError, e.ErrorId);
    }

    [Fact]
    public void The_page_for_1000_agents_5000_faults_and_200_squelches_is_under_2_MB()
    {
        var model = Large();
        var counter = new CountingWriter();
        ReportHtml.Write(counter, model, ReportHtml.Options.Served);
        Assert.InRange(counter.Bytes, 500_000, 2 * 1024 * 1024);
    }

    /// <summary>Five faults for each of 1,000 agents with 60-character messages, 200 squelches, 50 stale agents.</summary>
    public static ReportModel Large()
    {
        var agents = Enumerable.Range(0, 1000).Select(a => new AgentFaults($"agent-{a:0000}.example.net", Enumerable.Range(0, 5).Select(f => new Fault
        {
            Agent = $"agent-{a:0000}.example.net",
            Name = $"check-{f}",
            Severity = (a + f) % 4 * 15 + 10,
            Message = $"value {a * 5 + f} is over the threshold of 90 on /var/lib/data{f}",
            Since = Now.AddMinutes(-(a + f)),
            Squelch = f == 4 && a % 10 == 0 ? "^check-4$" : null,
        }))).OrderBy(a => a, Comparer<AgentFaults>.Create(AgentFaults.CompareWorstFirst)).ToList();
        return new ReportModel
        {
            GeneratedAt = Now,
            StaleAfter = ReportRequest.DefaultStaleAfter,
            Window = TimeSpan.FromHours(1),
            Agents = agents,
            StaleAgents = [.. Enumerable.Range(0, 50).Select(i => new Agent { Agent = $"gone-{i}", LastSeen = Now.AddHours(-i - 1), Age = TimeSpan.FromHours(i + 1) })],
            Squelches = [.. Enumerable.Range(0, 200).Select(i => new SquelchUse(new Squelch
            {
                Pattern = $"^check-{i}$", Reason = "planned maintenance window for the storage cluster", User = "ops",
                Time = Now.AddDays(-1), Age = TimeSpan.FromDays(1),
            }, i))],
            Sparklines = [],
        };
    }

    private sealed class CountingWriter : TextWriter
    {
        public long Bytes { get; private set; }
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value) => Bytes += value < 0x80 ? 1 : 3;
        public override void Write(string? value) => Bytes += value is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(value);
        public override void Write(char[] buffer, int index, int count) => Bytes += System.Text.Encoding.UTF8.GetByteCount(buffer, index, count);
    }
}
