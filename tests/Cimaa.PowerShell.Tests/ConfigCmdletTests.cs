using System.Collections.Specialized;
using System.Management.Automation;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Get-, Set- and Remove-CimaaConfig in a hosted runspace, on both stores.</summary>
public class ConfigCmdletTests
{
    public static TheoryData<string> Stores => new() { "Local", "DynamoDB" };

    /// <summary>Runs a script after connecting to a fresh store of the kind and initializing it.</summary>
    private static PsResult Run(string kind, string script, Dictionary<string, object>? extra = null)
    {
        using var dir = new TempDir();
        var variables = new Dictionary<string, object>
        {
            ["db"] = dir.File("c.db"),
            ["endpoint"] = DynaliteServer.Shared.Endpoint,
            ["prefix"] = "ps" + Guid.NewGuid().ToString("N")[..12],
        };
        foreach (var (k, v) in extra ?? []) variables[k] = v;
        var connect = kind == "Local"
            ? "Connect-Cimaa -Path $db\n"
            : "Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix\n";
        return Ps.Run(connect + "Initialize-CimaaTable | Out-Null\n" + script, variables);
    }

    private const string Seed = """
        Set-CimaaConfig prod db -Value @{ host = 'db1.example.org'; port = 5432; replicas = 'db2', 'db3'; pool = @{ min = 2; max = 20 }; ssl = $true }
        Set-CimaaConfig prod web -Value @{ host = 'web.example.org'; workers = 4 }
        Set-CimaaConfig staging db -Value @{ host = 'staging-db' }

        """;

    [Theory]
    [MemberData(nameof(Stores))]
    public void Values_read_as_properties_with_whole_numbers_as_Int64(string kind)
    {
        var r = Run(kind, Seed + """
            $o = Get-CimaaConfig prod db
            $o.PSObject.TypeNames[0]
            (Get-CimaaConfig prod db).Values.host
            $o.Values.HOST
            $o.Values.port.GetType().FullName
            $o.Values.port + 1
            $o.Values.replicas[1]
            $o.Values.pool.max
            $o.Values.ssl
            [string]::Join(',', [string[]]$o.Values.Keys)
            """).ThrowIfFailed();
        Assert.Equal(["Cimaa.ConfigOption", "db1.example.org", "db1.example.org", "System.Int64", 5433L, "db3", 20L, true, "host,pool,port,replicas,ssl"],
            r.Output.Select(o => o.BaseObject));
    }

    // ConvertTo-Json writes any decimal with a fraction (8.0), so whole numbers must come back as Int64. Real pwsh: the hosted
    // engine has no ConvertTo-Json.
    [Theory]
    [MemberData(nameof(Stores))]
    public void Numbers_stored_as_8_print_and_convert_to_JSON_as_8(string kind)
    {
        using var dir = new TempDir();
        var connect = kind == "Local"
            ? "Connect-Cimaa -Path $env:CIMAA_TEST_DB"
            : "Connect-Cimaa -EndpointUrl $env:CIMAA_TEST_ENDPOINT -TablePrefix $env:CIMAA_TEST_PREFIX; Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null";
        var (code, output, error) = PwshProcess.Run($$"""
            $ErrorActionPreference = 'Stop'
            Import-Module $env:CIMAA_TEST_MODULE
            {{connect}}
            Set-CimaaConfig prod pool -Value @{ workers = 8; scaled = [decimal]'8.00'; ratio = [decimal]'1.50'; list = 2.0, 3 }
            $o = Get-CimaaConfig prod pool
            $o.Values | ConvertTo-Json -Compress
            "$($o.Values.workers) $($o.Values.scaled) $($o.Values.ratio)"
            $o | Format-Table -HideTableHeaders | Out-String -Stream | Where-Object { $_ }
            """, new Dictionary<string, string>
        {
            ["CIMAA_TEST_DB"] = dir.File("n.db"),
            ["CIMAA_TEST_ENDPOINT"] = DynaliteServer.Shared.Endpoint.ToString(),
            ["CIMAA_TEST_PREFIX"] = "pj" + Guid.NewGuid().ToString("N")[..12],
        });
        Assert.True(code == 0, output + error);
        Assert.Equal(["""{"list":[2,3],"ratio":1.5,"scaled":8,"workers":8}""", "8 8 1.5", "prod  pool   list=[2, 3]; ratio=1.5; scaled=8; workers=8"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void AsHashtable_emits_the_values_or_one_dictionary_of_options(string kind)
    {
        var r = Run(kind, Seed + """
            $one = Get-CimaaConfig prod db -AsHashtable
            $all = Get-CimaaConfig prod -AsHashtable
            $one.GetType().FullName
            $one.port
            $all.GetType().FullName
            [string]::Join(',', [string[]]$all.Keys)
            $all.WEB.workers
            $all.db.replicas.Count
            (Get-CimaaConfig prod db, web -Key host -AsHashtable).ForEach({ $_.host })
            $empty = @(Get-CimaaConfig nothing -AsHashtable)
            "$($empty.Count) $($empty[0].Count)"
            """).ThrowIfFailed();
        Assert.Equal([typeof(OrderedDictionary).FullName, 5432L, typeof(OrderedDictionary).FullName, "db,web", 4L, 2, "db1.example.org", "web.example.org", "1 0"],
            r.Output.Select(o => o.BaseObject));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Get_without_option_lists_the_store_sorted_and_Key_keeps_only_existing_keys(string kind)
    {
        var r = Run(kind, Seed + """
            (Get-CimaaConfig prod).ForEach({ "$($_.Store)/$($_.Option)" })
            $k = (Get-CimaaConfig prod db -Key PORT, nope).Values
            [string]::Join(',', [string[]]$k.Keys)
            """).ThrowIfFailed();
        Assert.Equal(["prod/db", "prod/web", "port"], r.Output.Select(o => o.BaseObject));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Missing_option_is_a_non_terminating_ConfigOptionNotFound(string kind)
    {
        var r = Run(kind, Seed + """
            try { (Get-CimaaConfig prod nope, web).Option; 'after' } catch { 'caught' }
            """);
        Assert.Null(r.Terminating);
        Assert.Equal(["web", "after"], r.Output.Select(o => o.BaseObject));
        var e = r.SingleError;
        Assert.Equal("ConfigOptionNotFound", r.ErrorIds.Single());
        Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
        Assert.Equal("nope", e.TargetObject);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Set_replaces_the_option_and_Merge_updates_only_the_given_keys(string kind)
    {
        var r = Run(kind, Seed + """
            $p = Set-CimaaConfig prod db -Value @{ port = 6432; extra = [pscustomobject]@{ a = 1; b = @(1, 'x') } } -Merge -PassThru
            [string]::Join(',', [string[]]$p.Values.Keys)
            $p.Values.extra.b[1]
            Set-CimaaConfig prod db -Value @{ host = 'only' }
            [string]::Join(',', [string[]](Get-CimaaConfig prod db).Values.Keys)
            Set-CimaaConfig prod db -Value @{ host = 'x' } -WhatIf
            (Get-CimaaConfig prod db).Values.host
            """).ThrowIfFailed();
        Assert.Equal(["extra,host,pool,port,replicas,ssl", "x", "host", "only"], r.Output.Select(o => o.BaseObject));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void InvalidConfigValue_writes_nothing(string kind)
    {
        var r = Run(kind, Seed + """
            Set-CimaaConfig prod db -Value @{ host = 'changed'; _store = 'x' }
            """);
        Assert.Equal(["InvalidConfigValue"], r.ErrorIds);
        Assert.Equal("_store", r.SingleError.TargetObject);
        Assert.Equal(ErrorCategory.InvalidArgument, r.SingleError.CategoryInfo.Category);

        var piped = Run(kind, Seed + """
            $in = @(
                [pscustomobject]@{ Store = 'prod'; Option = 'db'; Value = @{ host = 'changed' } }
                [pscustomobject]@{ Store = 'prod'; Option = 'new'; Value = @{ when = [datetime]::UtcNow } }
            )
            try { $in | Set-CimaaConfig } catch { "caught $($_.FullyQualifiedErrorId)" }
            (Get-CimaaConfig prod db).Values.host
            (Get-CimaaConfig prod).Count
            """);
        Assert.Equal(["caught InvalidConfigValue,Cimaa.PowerShell.Commands.SetCimaaConfigCommand", "db1.example.org", 2],
            piped.Output.Select(o => o.BaseObject));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Pipeline_removal_deletes_every_option_of_the_store(string kind)
    {
        var r = Run(kind, Seed + """
            Get-CimaaConfig prod | Remove-CimaaConfig -Confirm:$false
            (Get-CimaaConfig prod).Count
            (Get-CimaaConfig staging).Option
            Remove-CimaaConfig staging db, gone -Confirm:$false
            (Get-CimaaConfig staging).Count
            """);
        Assert.Null(r.Terminating);
        Assert.Equal([0, "db", 0], r.Output.Select(o => o.BaseObject));
        Assert.Equal(["ConfigOptionNotFound"], r.ErrorIds);
        Assert.Equal("gone", r.SingleError.TargetObject);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Second_Get_with_MaxAge_sends_no_request_and_a_Set_invalidates(string kind)
    {
        var r = Run(kind, Seed + """
            $c = Get-CimaaConnection
            Get-CimaaConfig prod -MaxAge 300 | Out-Null
            $before = $c.RequestCount
            $h = Get-CimaaConfig prod db -MaxAge 300 -AsHashtable
            $h.port = 1   # changing what we got does not change the cache
            Get-CimaaConfig prod -MaxAge 300 | Out-Null
            $c.RequestCount - $before
            (Get-CimaaConfig prod db -MaxAge 300).Values.port
            Set-CimaaConfig prod db -Value @{ port = 7 } -Merge
            $before = $c.RequestCount
            (Get-CimaaConfig prod db -MaxAge 300).Values.port
            ($c.RequestCount - $before) -gt 0
            """).ThrowIfFailed();
        Assert.Equal([0L, 5432L, 7L, true], r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Remove_is_ConfirmImpact_High_and_WhatIf_removes_nothing()
    {
        var r = Run("Local", Seed + """
            (Get-Command Remove-CimaaConfig).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact.ToString()
            Remove-CimaaConfig prod db -WhatIf
            (Get-CimaaConfig prod).Count
            """).ThrowIfFailed();
        Assert.Equal(["High", 2], r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Custom_config_key_names_pass_through_Connect_Cimaa()
    {
        var r = Ps.Run("""
            Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix -ConfigStoreKey store -ConfigOptionKey option
            Initialize-CimaaTable | Where-Object { $_.Table -like '*config' } | ForEach-Object { $_.KeySchema }
            Set-CimaaConfig prod db -Value @{ host = 'h' }
            (Get-CimaaConfig prod db).Values.host
            Set-CimaaConfig prod db -Value @{ store = 'x' }
            """, new Dictionary<string, object> { ["endpoint"] = DynaliteServer.Shared.Endpoint, ["prefix"] = "ps" + Guid.NewGuid().ToString("N")[..12] });
        Assert.Equal(["store (HASH S), option (RANGE S)", "h"], r.Output.Select(o => o.BaseObject));
        Assert.Equal(["InvalidConfigValue"], r.ErrorIds);
    }

    [Fact]
    public void Misconfigured_config_table_is_terminating()
    {
        var prefix = "ps" + Guid.NewGuid().ToString("N")[..12];
        var r = Ps.Run("""
            Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix
            Initialize-CimaaTable | Out-Null
            Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix -ConfigStoreKey store -ConfigOptionKey option
            try { Get-CimaaConfig prod; 'not reached' }
            catch { "caught $($_.FullyQualifiedErrorId)"; $_.Exception.Message; $_.CategoryInfo.Category.ToString() }
            """, new Dictionary<string, object> { ["endpoint"] = DynaliteServer.Shared.Endpoint, ["prefix"] = prefix }).ThrowIfFailed();
        Assert.Equal("caught MisconfiguredSchema,Cimaa.PowerShell.Commands.GetCimaaConfigCommand", r.Output[0].BaseObject);
        Assert.Contains($"Table '{prefix}.config'", (string)r.Output[1].BaseObject);
        Assert.Contains("expected [store (HASH S), option (RANGE S)]", (string)r.Output[1].BaseObject);
        Assert.Equal("MetadataError", r.Output[2].BaseObject);
        Assert.Equal(3, r.Output.Count);
    }

    [Fact]
    public void Table_view_lists_the_values()
    {
        using var dir = new TempDir();
        var writer = new StringWriter();
        Ps.RunWithHost("Connect-Cimaa -Path $db\n" + Seed + "Get-CimaaConfig prod | Out-Default\nGet-CimaaConfig staging | Remove-CimaaConfig -WhatIf\nGet-CimaaConfig prod | Set-CimaaConfig -Store copy -WhatIf", writer,
            new Dictionary<string, object> { ["db"] = dir.File("c.db") }).ThrowIfFailed();
        var text = writer.ToString();
        Assert.Contains("Store Option Values", text);
        Assert.True(text.Contains("prod  db     host=db1.example.org; pool={max, min}; port=5432; replicas=[db2, db3]; ssl=True"), text);
        Assert.Contains("What if: Performing the operation \"Remove the configuration option\" on target \"staging/db\".", text);
        Assert.Contains("What if: Performing the operation \"Replace the configuration option with 5 keys\" on target \"copy/db\".", text);
        Assert.Contains("What if: Performing the operation \"Replace the configuration option with 2 keys\" on target \"copy/web\".", text);
    }
}
