using System.Management.Automation;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

public sealed class FaultCmdletTests : IDisposable
{
    private readonly TempDir _dir = new();
    private string Db => _dir.File("f.db");
    private Dictionary<string, object> Vars => new() { ["db"] = Db };

    private PsResult Run(string script) => Ps.Run("Connect-Cimaa -Path $db\n" + script, Vars);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Objects_piped_to_Set_CimaaFault_become_the_agents_faults()
    {
        var r = Run("""
            $objs = @(
                [pscustomobject]@{ Name = 'disk'; Severity = 40; Message = 'disk full' }
                [pscustomobject]@{ Name = 'cpu'; Severity = 'warning'; Message = 'busy'; Triggered = $true }
            )
            $objs | Set-CimaaFault -Agent web1
            Get-CimaaFault web1
            """).ThrowIfFailed();
        Assert.Equal(["cpu", "disk"], r.Output.Select(o => (string)o.Properties["Name"].Value));
        Assert.Equal("Cimaa.Fault", r.Output[0].TypeNames[0]);
        Assert.Equal((30, "Warning", true), ((int)r.Output[0].Properties["Severity"].Value, (string)r.Output[0].Properties["Level"].Value, (bool)r.Output[0].Properties["Triggered"].Value));
        Assert.Equal("web1", r.Output[1].Properties["Agent"].Value);
        Assert.IsType<DateTimeOffset>(r.Output[1].Properties["Since"].Value);
    }

    [Fact]
    public void Agent_binds_from_the_pipeline_and_PassThru_emits_what_was_stored()
    {
        var r = Run("""
            @(
                [pscustomobject]@{ Agent = 'a1'; Name = 'x'; Severity = 50; Message = '' }
                [pscustomobject]@{ Agent = 'a2'; Name = 'y'; Severity = 30; Message = 'm' }
                [pscustomobject]@{ Agent = 'a2'; Name = 'z'; Severity = 0; Message = 'fine' }
            ) | Set-CimaaFault -PassThru
            '---'
            (Get-CimaaFault).ForEach({ "$($_.Agent)/$($_.Name)" })
            """).ThrowIfFailed();
        Assert.Equal(["a1/x", "a2/y", "---", "a1/x", "a2/y"], r.Output.Select(o => o.BaseObject is string s ? s : $"{o.Properties["Agent"].Value}/{o.Properties["Name"].Value}"));
    }

    [Fact]
    public void One_bad_input_stops_the_pipeline_and_writes_nothing()
    {
        var r = Run("""
            @(
                [pscustomobject]@{ Name = 'ok'; Severity = 40; Message = '' }
                [pscustomobject]@{ Name = 'bad'; Severity = 'banana'; Message = '' }
            ) | Set-CimaaFault -Agent web1
            """);
        Assert.Equal(["InvalidFault"], r.ErrorIds);
        Assert.Equal(ErrorCategory.InvalidArgument, r.SingleError.CategoryInfo.Category);
        Assert.Contains("banana", r.SingleError.Exception.Message);
        var after = Run("@(Get-CimaaFault).Count; @(Get-CimaaAgent).Count").ThrowIfFailed();
        Assert.Equal([0, 0], after.Output.Select(o => (int)o.BaseObject));
    }

    [Fact]
    public void Message_over_100_KB_is_InvalidFault()
    {
        var r = Run("[pscustomobject]@{ Name = 'big'; Severity = 40; Message = 'x' * 200KB } | Set-CimaaFault -Agent a");
        Assert.Equal(["InvalidFault"], r.ErrorIds);
        Assert.Empty(Run("Get-CimaaFault").ThrowIfFailed().Output);
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        var writer = new StringWriter();
        var r = Ps.RunWithHost("""
            Connect-Cimaa -Path $db
            [pscustomobject]@{ Name = 'disk'; Severity = 40 } | Set-CimaaFault -Agent web1 -WhatIf
            @(Get-CimaaFault).Count
            @(Get-CimaaAgent).Count
            """, writer, Vars).ThrowIfFailed();
        Assert.Equal([0, 0], r.Output.Select(o => (int)o.BaseObject));
        Assert.Contains("What if:", writer.ToString());
        Assert.Contains("web1", writer.ToString());
    }

    [Fact]
    public void No_pipeline_input_clears_the_agent_and_writes_its_heartbeat()
    {
        var r = Run("""
            [pscustomobject]@{ Name = 'disk'; Severity = 40 } | Set-CimaaFault -Agent web1
            Set-CimaaFault -Agent web1
            @(Get-CimaaFault).Count
            (Get-CimaaAgent).Agent
            """).ThrowIfFailed();
        Assert.Equal([0, (object)"web1"], r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Command_line_fault_and_Check_scope()
    {
        var r = Run("""
            Set-CimaaFault -Agent a -Name disk -Severity Error -Message full
            Set-CimaaFault -Agent a -Check deploy -Severity 30 -Message slow
            (Get-CimaaFault a).ForEach({ "$($_.Name)=$($_.Severity)" })
            """).ThrowIfFailed();
        Assert.Equal(["deploy=30", "disk=40"], r.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void Remove_CimaaFault_reports_a_missing_fault_without_stopping()
    {
        var r = Run("""
            @('x', 'y').ForEach({ [pscustomobject]@{ Name = $_; Severity = 40 } }) | Set-CimaaFault -Agent a
            Remove-CimaaFault -Agent a -Name nope, x -Confirm:$false
            (Get-CimaaFault a).Name
            """);
        Assert.Equal(["FaultNotFound"], r.ErrorIds);
        Assert.Equal("nope", r.SingleError.TargetObject);
        Assert.Equal(["y"], r.Output.Select(o => (string)o.BaseObject));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Stale_agents_pipe_into_Remove_CimaaAgent(string kind)
    {
        using var store = new TestStore(kind);
        var now = store.Clock.GetUtcNow();
        store.RunAt(now.AddHours(-2), "Set-CimaaFault -Agent old1");
        store.RunAt(now.AddMinutes(-20), "Set-CimaaFault -Agent old2");
        store.RunAt(now, "Set-CimaaFault -Agent fresh -Name x -Severity 40");
        var r = store.Run("""
            (Get-CimaaStaleAgent -OlderThan 3600).Agent
            '---'
            Get-CimaaStaleAgent | Remove-CimaaAgent -Confirm:$false
            (Get-CimaaAgent).Agent
            (Get-CimaaFault).Name
            """).ThrowIfFailed();
        Assert.Equal(["old1", "---", "fresh", "x"], r.Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void Agent_objects_carry_the_Cimaa_Agent_type_name_and_pipe_into_Get_CimaaFault()
    {
        var r = Run("""
            Set-CimaaFault -Agent web1 -Name disk -Severity 40
            Set-CimaaFault -Agent web2 -Name cpu -Severity 30
            $a = Get-CimaaAgent web*
            $a[0].PSObject.TypeNames[0]
            $a[0].Age -is [timespan]
            (Get-CimaaAgent web2 | Get-CimaaFault).Name
            """).ThrowIfFailed();
        Assert.Equal(["Cimaa.Agent", (object)true, "cpu"], r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void MinimumSeverity_takes_names_and_rejects_nonsense()
    {
        var r = Run("""
            Set-CimaaFault -Agent a -Name w -Severity 30
            Set-CimaaFault -Agent b -Name c -Severity 50
            (Get-CimaaFault -MinimumSeverity error).Name
            """).ThrowIfFailed();
        Assert.Equal(["c"], r.Output.Select(o => (string)o.BaseObject));
        var bad = Run("Get-CimaaFault -MinimumSeverity banana");
        Assert.Equal(["ParameterArgumentTransformationError"], bad.ErrorIds);
    }

    [Fact]
    public void Views_render_the_columns_an_operator_scans_first()
    {
        var writer = new StringWriter();
        Ps.RunWithHost("""
            Connect-Cimaa -Path $db
            Set-CimaaFault -Agent web1 -Name disk -Severity 40 -Message 'disk full'
            Get-CimaaFault | Out-Default
            Get-CimaaAgent | Out-Default
            """, writer, Vars).ThrowIfFailed();
        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Agent\s+Name\s+Level\s+Since\s+Squelch\s+Message$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^web1\s+disk\s+Error\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+disk full$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Agent\s+LastSeen\s+Age$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^web1\s+\S+ \S+\s+\d+s$"));
    }

    [Fact]
    public void DynamoDB_request_counts_show_on_the_connection()
    {
        var r = Ps.Run("""
            Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix
            Initialize-CimaaTable | Out-Null
            $c = Get-CimaaConnection
            $before = $c.RequestCount
            1..30 | ForEach-Object { [pscustomobject]@{ Name = "f$_"; Severity = 40 } } | Set-CimaaFault -Agent a
            $c.RequestCount - $before
            $c.Requests['BatchWriteItem']
            """, new Dictionary<string, object> { ["endpoint"] = DynaliteServer.Shared.Endpoint, ["prefix"] = "pc" + Guid.NewGuid().ToString("N")[..8] }).ThrowIfFailed();
        // 1 Query, then 30 faults and the heartbeat in ceil(31 / 25) = 2 batches.
        Assert.Equal([3L, 2L], r.Output.Select(o => Convert.ToInt64(o.BaseObject, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_downstream_stop_ends_the_stream_at_once_and_the_session_stays_usable()
    {
        var r = Run("""
            $(foreach ($a in 1..20) { 1..50 | ForEach-Object { [pscustomobject]@{ Agent = "agent$a"; Name = "f$_"; Severity = 40 } } }) | Set-CimaaFault
            $seen = 0
            foreach ($once in 1) { Get-CimaaFault | ForEach-Object { $seen++; if ($seen -eq 3) { break } } }
            $seen
            @(Get-CimaaFault).Count
            """).ThrowIfFailed();
        Assert.Equal([3, 1000], r.Output.Select(o => (int)o.BaseObject));
    }
}
