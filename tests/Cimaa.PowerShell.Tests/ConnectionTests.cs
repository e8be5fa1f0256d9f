using System.Management.Automation;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

public class ConnectionTests
{
    [Fact]
    public void Connect_local_sets_the_session_default()
    {
        using var dir = new TempDir();
        var r = Ps.Run("Connect-Cimaa -Path $db; Get-CimaaConnection", new Dictionary<string, object> { ["db"] = dir.File("a.db") }).ThrowIfFailed();
        var c = r.Output.Single();
        Assert.Equal("Cimaa.CimaaConnection", c.TypeNames[0]);
        Assert.Equal("Local", c.Properties["Kind"].Value);
        Assert.Equal(dir.File("a.db"), c.Properties["Path"].Value);
        Assert.True(File.Exists(dir.File("a.db")));
    }

    [Fact]
    public void Connect_returns_nothing_unless_PassThru()
    {
        using var dir = new TempDir();
        var r = Ps.Run("Connect-Cimaa -Path $db; '---'; Connect-Cimaa -Path $db -PassThru", new Dictionary<string, object> { ["db"] = dir.File("a.db") }).ThrowIfFailed();
        Assert.Equal(2, r.Output.Count);
        Assert.Equal("---", r.Output[0].BaseObject);
    }

    [Fact]
    public void DynamoDB_prefix_gets_a_dot_and_the_secret_never_shows()
    {
        var r = Ps.Run("""
            $cred = [pscredential]::new('AKIDVISIBLE', [System.Net.NetworkCredential]::new('', 'TopSecretValue123').SecurePassword)
            Connect-Cimaa -Region eu-west-1 -TablePrefix prod -Credential $cred -Verbose -Debug
            $c = Get-CimaaConnection
            $c
            $c | Out-Default
            $c.ToString()
            ($c.PSObject.Properties.ForEach({ "$($_.Name)=$($_.Value)" })) -join ';'
            """).ThrowIfFailed();
        var c = r.Output[0];
        Assert.Equal("DynamoDB", c.Properties["Kind"].Value);
        Assert.Equal("prod.", c.Properties["TablePrefix"].Value);
        Assert.Equal("eu-west-1", c.Properties["Region"].Value);
        Assert.Equal("prod.config", c.Properties["ConfigTableName"].Value);
        Assert.DoesNotContain("TopSecretValue123", r.AllText);
    }

    [Fact]
    public void DynamoDB_without_region_or_endpoint_is_InvalidConnection()
    {
        var r = Ps.Run("Connect-Cimaa -TablePrefix x");
        Assert.Equal(["InvalidConnection"], r.ErrorIds);
    }

    [Fact]
    public void Illegal_prefix_is_InvalidTablePrefix()
    {
        var r = Ps.Run("Connect-Cimaa -Region us-east-1 -TablePrefix 'no spaces'");
        Assert.Equal(["InvalidTablePrefix"], r.ErrorIds);
        Assert.Equal(ErrorCategory.InvalidArgument, r.SingleError.CategoryInfo.Category);
    }

    [Fact]
    public void Path_in_a_missing_folder_is_InvalidConnection_and_creates_nothing()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "nope", "c.db");
        var r = Ps.Run("Connect-Cimaa -Path $p", new Dictionary<string, object> { ["p"] = path });
        Assert.Equal(["InvalidConnection"], r.ErrorIds);
        Assert.Equal(path, r.SingleError.TargetObject);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "nope")));
    }

    [Fact]
    public void ConfigFile_reads_the_agent_database_section()
    {
        using var dir = new TempDir();
        var ini = dir.File("agent.cfg");
        File.WriteAllText(ini, $"[database]\nclass = zc.cimaa.dynamodb\nregion = us-east-1\nprefix = ops\naws_access_key_id = AKIDINI\naws_secret_access_key = IniSecret987\nendpoint_url = {DynaliteServer.Shared.Endpoint}\n");
        var r = Ps.Run("Connect-Cimaa -ConfigFile $ini -Verbose; Get-CimaaConnection", new Dictionary<string, object> { ["ini"] = ini }).ThrowIfFailed();
        var c = r.Output.Single();
        Assert.Equal(("DynamoDB", "ops."), (c.Properties["Kind"].Value, c.Properties["TablePrefix"].Value));
        Assert.DoesNotContain("IniSecret987", r.AllText);
    }

    [Fact]
    public void Initialize_against_dynalite_creates_six_tables_with_one_TTL_warning_then_reports_Exists()
    {
        var prefix = "init" + Guid.NewGuid().ToString("N")[..8];
        var vars = new Dictionary<string, object> { ["endpoint"] = DynaliteServer.Shared.Endpoint, ["prefix"] = prefix };
        var first = Ps.Run("Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix; Initialize-CimaaTable", vars).ThrowIfFailed();
        Assert.Equal([prefix + ".faults", prefix + ".squelches", prefix + ".config", prefix + ".datapoints", prefix + ".datapoints_index", prefix + ".credentials"],
            first.Output.Select(o => (string)o.Properties["Table"].Value));
        Assert.Contains("TTL", Assert.Single(first.Warnings));
        Assert.All(first.Output, o => Assert.Equal("Created", o.Properties["Status"].Value));
        Assert.Contains(first.Progress, p => p.RecordType == ProgressRecordType.Completed);
        var second = Ps.Run("Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix; Initialize-CimaaTable", vars).ThrowIfFailed();
        Assert.All(second.Output, o => Assert.Equal("Exists", o.Properties["Status"].Value));
        Assert.Empty(second.Warnings);
    }

    [Fact]
    public void Initialize_WhatIf_creates_nothing()
    {
        using var dir = new TempDir();
        var writer = new StringWriter();
        var r = Ps.RunWithHost("Connect-Cimaa -Path $db; Initialize-CimaaTable -WhatIf; '---'; Initialize-CimaaTable", writer,
            new Dictionary<string, object> { ["db"] = dir.File("w.db") }).ThrowIfFailed();
        Assert.Contains("What if:", writer.ToString());
        Assert.Equal("---", r.Output[0].BaseObject);
        Assert.All(r.Output.Skip(1), o => Assert.Equal("Created", o.Properties["Status"].Value));
    }
}
