using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Export-CimaaReport on both stores, on a manual clock: the file, its FileInfo, and bad input that writes nothing.</summary>
public sealed class ReportCmdletTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Writes_the_page_and_emits_the_file(string kind)
    {
        using var store = new TestStore(kind);
        var now = store.Clock.GetUtcNow();
        store.Variables["file"] = _dir.File($"status-{kind}.html");
        store.RunAt(now.AddHours(-2), "Set-CimaaFault -Agent gone");
        store.RunAt(now.AddMinutes(-5), "Set-CimaaFault -Agent 'web<1>' -Name disk -Severity Critical -Message 'full & <b>over</b>'");
        store.RunAt(now.AddMinutes(-3), "Write-CimaaMetric cpu.load 2 -Tag @{ host = 'web1' }");
        var r = store.Run("""
            $f = Export-CimaaReport $file -Metric 'cpu.load{host=web1}' -StaleAfter 3600
            $f.GetType().FullName; $f.FullName
            """).ThrowIfFailed();
        Assert.Equal(["System.IO.FileInfo", _dir.File($"status-{kind}.html")], r.Output.Select(o => o.ToString()));
        var html = File.ReadAllText(_dir.File($"status-{kind}.html"));
        Assert.Contains("data-agent=\"web&lt;1&gt;\"", html);
        Assert.Contains("full &amp; &lt;b&gt;over&lt;/b&gt;", html);
        Assert.Contains("<h2>Stale agents (1, no heartbeat for 1h 0m)</h2>", html);
        Assert.Contains("data-metric=\"cpu.load{host=web1}\" data-series=\"host=web1\" data-points=\"1\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.Equal([$"status-{kind}.html"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Where(n => n!.StartsWith("status", StringComparison.Ordinal) || n.EndsWith(".tmp", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Export-CimaaReport $file -Metric 'cpu{host}'", "InvalidMetric,Cimaa.PowerShell.Commands.ExportCimaaReportCommand")]
    [InlineData("Export-CimaaReport $file -StaleAfter 0", "InvalidTime,Cimaa.PowerShell.Commands.ExportCimaaReportCommand")]
    [InlineData("Export-CimaaReport $missing", "ReportFileError,Cimaa.PowerShell.Commands.ExportCimaaReportCommand")]
    public void Bad_input_is_a_terminating_error_and_writes_nothing(string command, string errorId)
    {
        using var store = new TestStore("Local");
        store.Variables["file"] = _dir.File("bad.html");
        store.Variables["missing"] = Path.Combine(_dir.Path, "none", "status.html");
        var r = store.Run($"try {{ {command}; 'went on' }} catch {{ $_.FullyQualifiedErrorId }}").ThrowIfFailed();
        Assert.Equal([errorId], r.Output.Select(o => o.ToString()));
        Assert.False(File.Exists(_dir.File("bad.html")));
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        using var store = new TestStore("Local");
        store.Variables["file"] = _dir.File("whatif.html");
        store.Run("Export-CimaaReport $file -WhatIf").ThrowIfFailed();
        Assert.False(File.Exists(_dir.File("whatif.html")));
    }
}
