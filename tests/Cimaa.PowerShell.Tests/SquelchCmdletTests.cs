using System.Diagnostics;
using System.Text.Json;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

public sealed class SquelchCmdletTests : IDisposable
{
    private readonly TempDir _dir = new();
    private string Db => _dir.File("s.db");
    private PsResult Run(string script) => Ps.Run("Connect-Cimaa -Path $db\n" + script, new Dictionary<string, object> { ["db"] = Db });

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Preview_agrees_with_the_Squelch_property_after_adding()
    {
        var r = Run("""
            'disk-root', 'disk-var', 'cpu', 'net-disk' | ForEach-Object { [pscustomobject]@{ Name = $_; Severity = 40 } } | Set-CimaaFault -Agent web1
            Set-CimaaFault -Agent db1 -Name disk-data -Severity 50
            $preview = (Test-CimaaSquelch '^disk').ForEach({ "$($_.Agent)/$($_.Name)" })
            Add-CimaaSquelch -Pattern '^disk' -Reason 'resizing volumes'
            $after = (Get-CimaaFault).Where({ $_.Squelch -eq '^disk' }).ForEach({ "$($_.Agent)/$($_.Name)" })
            ($preview -join ',') -eq ($after -join ',')
            $preview -join ','
            (Get-CimaaFault -Unsquelched).Name -join ','
            """).ThrowIfFailed();
        Assert.Equal([(object)true, "db1/disk-data,web1/disk-root,web1/disk-var", "cpu,net-disk"], r.Output.Select(o => o.BaseObject));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Old_squelches_pipe_into_Remove_CimaaSquelch(string kind)
    {
        using var store = new TestStore(kind);
        var now = store.Clock.GetUtcNow();
        store.RunAt(now.AddDays(-3), "Add-CimaaSquelch older -Reason forgotten -User amy -Permanent");
        store.RunAt(now.AddHours(-3), "Add-CimaaSquelch 'old.*' -Reason forgotten -User jim");
        store.RunAt(now, "Add-CimaaSquelch new -Reason fresh");
        var r = store.Run("""
            Get-CimaaSquelch -OlderThan 3600 | Remove-CimaaSquelch -Confirm:$false
            (Get-CimaaSquelch).Pattern
            """).ThrowIfFailed();
        Assert.Equal(["new"], r.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void Existing_pattern_without_Force_is_SquelchExists()
    {
        var r = Run("""
            Add-CimaaSquelch web -Reason one
            Add-CimaaSquelch -Regex web -Reason two
            (Get-CimaaSquelch web).Reason
            Add-CimaaSquelch web -Reason three -Force -PassThru
            """);
        Assert.Equal(["SquelchExists"], r.ErrorIds);
        Assert.Equal("web", r.SingleError.TargetObject);
        Assert.Equal("one", r.Output[0].BaseObject);
        Assert.Equal(("Cimaa.Squelch", "three"), (r.Output[1].TypeNames[0], (string)r.Output[1].Properties["Reason"].Value));
    }

    [Fact]
    public void Bad_pattern_is_InvalidSquelchPattern_and_writes_nothing()
    {
        var r = Run("Add-CimaaSquelch 'disk([' -Reason x; @(Get-CimaaSquelch).Count");
        Assert.Equal(["InvalidSquelchPattern"], r.ErrorIds);
        Assert.Equal(0, (int)r.Output.Single().BaseObject);
        Assert.Equal(["InvalidSquelchPattern"], Run("Test-CimaaSquelch '(unclosed'").ErrorIds);
    }

    [Fact]
    public void Catastrophic_backtracking_pattern_returns_within_its_timeout()
    {
        var name = new string('a', 3000) + "!";
        var sw = Stopwatch.StartNew();
        var r = Ps.Run("""
            Connect-Cimaa -Path $db
            Set-CimaaFault -Agent a -Name $name -Severity 40
            Add-CimaaSquelch '(a+)+$' -Reason evil
            @(Get-CimaaFault).Where({ $_.Squelch }).Count
            @(Test-CimaaSquelch '(a+)+$').Count
            """, new Dictionary<string, object> { ["db"] = Db, ["name"] = name }).ThrowIfFailed();
        Assert.Equal([0, 0], r.Output.Select(o => (int)o.BaseObject));
        Assert.Contains(r.Warnings, w => w.Contains("timed out"));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Expired_squelches_are_listed_and_removed_with_Expired(string kind)
    {
        using var store = new TestStore(kind);
        var now = store.Clock.GetUtcNow();
        store.RunAt(now.AddHours(-3), "Add-CimaaSquelch gone -Reason done -User jim -Duration 7200");
        store.Clock.Set(now);
        var r = store.Run("""
            Add-CimaaSquelch keep -Reason x -Duration 3600
            (Get-CimaaSquelch -Expired).Pattern
            Remove-CimaaSquelch -Expired -Confirm:$false
            (Get-CimaaSquelch).Pattern
            Remove-CimaaSquelch nope -Confirm:$false
            """);
        Assert.Equal(["gone", "keep"], r.Output.Select(o => (string)o.BaseObject));
        Assert.Equal(["SquelchNotFound"], r.ErrorIds);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Meta_check_json_is_parseable_and_exact(string kind)
    {
        using var store = new TestStore(kind);
        var now = store.Clock.GetUtcNow();
        store.RunAt(now.AddDays(-2), "Add-CimaaSquelch perm -Reason known -User amy -Permanent");
        store.RunAt(now.AddMinutes(-90).AddSeconds(-10), "Add-CimaaSquelch 'web 1' -Reason upgrade -User jim");
        store.RunAt(now.AddSeconds(-1000), "Set-CimaaFault -Agent web2");
        store.RunAt(now.AddSeconds(-200), "Set-CimaaFault -Agent web1");
        store.Clock.Set(now);
        var r = store.Run("Invoke-CimaaMetaCheck -AsJson; Invoke-CimaaMetaCheck").ThrowIfFailed();
        var json = Assert.IsType<string>(r.Output[0].BaseObject);
        Assert.Equal("""{"faults":[{"name":"web2","severity":40,"message":"Inactive agent"},{"name":"web1","severity":30,"message":"Inactive agent"},{"name":"squelch-web%201","severity":40,"message":"Alerts squelched 90 minutes ago by jim because upgrade"}]}""", json);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(3, doc.RootElement.GetProperty("faults").GetArrayLength());
        Assert.All(r.Output.Skip(1), o => Assert.Equal("//meta", o.Properties["Agent"].Value));
        Assert.Equal(4, r.Output.Count);
    }
}
