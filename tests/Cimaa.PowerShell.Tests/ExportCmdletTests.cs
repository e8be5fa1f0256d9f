using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Export-CimaaDatabase and Import-CimaaDatabase on both stores, each connection on a manual clock.</summary>
public sealed class ExportCmdletTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void MetricStart_is_read_against_the_connections_clock(string kind)
    {
        using var store = new TestStore(kind);
        var now = store.Clock.GetUtcNow();
        var file = _dir.File($"recent-{kind}.jsonl");
        store.Variables["file"] = file;
        store.Variables["old"] = now.AddHours(-3);
        var recent = now.AddMinutes(-30);
        store.Variables["recent"] = recent;
        var r = store.Run("""
            Write-CimaaMetric cpu 1 -Timestamp $old
            Write-CimaaMetric cpu 2 -Timestamp $recent
            $s = Export-CimaaDatabase $file -Include metrics -MetricStart -1h
            "$($s.Table)=$($s.Records)"
            """).ThrowIfFailed();
        Assert.Equal(["metrics=1"], r.Output.Select(o => o.ToString()));
        var point = Assert.Single(File.ReadAllLines(file), l => l.Contains("\"table\":\"metrics\"", StringComparison.Ordinal));
        Assert.Contains($"\"timestamp\":{recent.ToUnixTimeMilliseconds()},", point, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Local", "DynamoDB")]
    [InlineData("DynamoDB", "Local")]
    public void Stored_times_come_back_as_exported_and_not_as_the_time_of_the_import(string from, string to)
    {
        using var source = new TestStore(from);
        var early = source.Clock.GetUtcNow().AddDays(-2);
        var file = _dir.File("backup.jsonl.gz");
        source.Variables["file"] = file;
        source.RunAt(early, "Set-CimaaFault -Agent web1 -Name disk -Severity Error -Message full");
        source.RunAt(early.AddHours(1), "Add-CimaaSquelch 'db.*' -Reason upgrade -User amy -Duration 7200");
        var exported = source.RunAt(early.AddDays(1), "Export-CimaaDatabase $file | ForEach-Object { \"$($_.Table)=$($_.Records)\" }");
        Assert.Equal(["faults=1", "heartbeats=1", "squelches=1", "config=0", "metrics=0"], exported.Output.Select(o => o.ToString()));

        using var target = new TestStore(to, early.AddDays(10));
        target.Variables["file"] = file;
        var r = target.Run("""
            Import-CimaaDatabase $file -Mode Replace -Confirm:$false | ForEach-Object { "$($_.Table)=$($_.Records)" }
            $f = Get-CimaaFault -Agent web1
            $f.Since.ToUnixTimeSeconds(); $f.Updated.ToUnixTimeSeconds(); $f.Message
            (Get-CimaaAgent web1).LastSeen.ToUnixTimeSeconds()
            $q = Get-CimaaSquelch -Expired
            $q.Time.ToUnixTimeSeconds(); $q.Expires.ToUnixTimeSeconds()
            """).ThrowIfFailed();
        var e = early.ToUnixTimeSeconds();
        Assert.Equal(["faults=1", "heartbeats=1", "squelches=1", "config=0", "metrics=0", $"{e}", $"{e}", "full", $"{e}", $"{e + 3600}", $"{e + 3600 + 7200}"],
            r.Output.Select(o => o.ToString()));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void A_truncated_file_is_refused_with_InvalidExportFile_and_nothing_is_written(string kind)
    {
        using var store = new TestStore(kind);
        var file = _dir.File($"cut-{kind}.jsonl");
        store.Variables["file"] = file;
        store.Run("""
            Set-CimaaFault -Agent web1 -Name disk -Severity Error -Message full
            Export-CimaaDatabase $file | Out-Null
            Remove-CimaaAgent web1 -Confirm:$false
            Set-CimaaFault -Agent web2 -Name cpu -Severity Warning -Message busy
            """).ThrowIfFailed();
        var text = File.ReadAllText(file);
        File.WriteAllText(file, text[..text.LastIndexOf("{\"end\"", StringComparison.Ordinal)]);
        var r = store.Run("""
            Import-CimaaDatabase $file -Mode Replace -Confirm:$false
            """);
        Assert.Equal("InvalidExportFile", r.SingleError.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("not a valid export file", r.SingleError.Exception.Message, StringComparison.Ordinal);
        var after = store.Run("(Get-CimaaFault).Agent").ThrowIfFailed();
        Assert.Equal(["web2"], after.Output.Select(o => o.ToString()));
    }
}
