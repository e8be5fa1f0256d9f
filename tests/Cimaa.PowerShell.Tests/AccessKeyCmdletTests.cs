using System.Management.Automation;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

public sealed class AccessKeyCmdletTests : IDisposable
{
    private readonly TempDir _dir = new();
    private Dictionary<string, object> Vars => new() { ["db"] = _dir.File("k.db") };

    private PsResult Run(string script) => Ps.Run("Connect-Cimaa -Path $db\n" + script, Vars);

    public void Dispose() => _dir.Dispose();

    private static string[] Strings(PSObject o, string property) => ((IEnumerable<object>)o.Properties[property].Value).Cast<string>().ToArray();

    [Fact]
    public void New_emits_the_key_with_its_secret_and_Get_lists_it_without()
    {
        var r = Run("""
            New-CimaaAccessKey -Permission app:RW, metrics:r -Description 'collector on web1'
            '---'
            Get-CimaaAccessKey
            """).ThrowIfFailed();
        var created = r.Output[0];
        Assert.Equal("Cimaa.NewAccessKey", created.TypeNames[0]);
        Assert.Equal(["AccessKeyId", "SecretAccessKey", "Permissions", "Description", "Created"], created.Properties.Select(p => p.Name));
        var id = (string)created.Properties["AccessKeyId"].Value;
        var secret = (string)created.Properties["SecretAccessKey"].Value;
        Assert.Matches("^[A-Z0-9]{20}$", id);
        Assert.Matches("^[A-Za-z0-9+/]{40}$", secret);
        Assert.Equal(["app:r", "app:w", "metrics:r"], Strings(created, "Permissions"));
        Assert.Equal(id, created.ToString());

        var listed = r.Output[2];
        Assert.Equal("Cimaa.AccessKey", listed.TypeNames[0]);
        Assert.Equal(["AccessKeyId", "Permissions", "State", "Created", "Description"], listed.Properties.Select(p => p.Name));
        Assert.Equal((id, "Active", "collector on web1"), ((string)listed.Properties["AccessKeyId"].Value, listed.Properties["State"].Value.ToString(),
            (string)listed.Properties["Description"].Value));
        Assert.Equal(created.Properties["Created"].Value, listed.Properties["Created"].Value);
        Assert.DoesNotContain(listed.Properties, p => p.Value?.ToString()?.Contains(secret) == true);
    }

    [Fact]
    public void Every_access_key_cmdlet_takes_pipeline_input_by_property_name()
    {
        var r = Run("""
            @(
                [pscustomobject]@{ Permission = 'a:r'; Description = 'first' }
                [pscustomobject]@{ Permissions = @('b:w', 'c:rw') }
            ) | New-CimaaAccessKey | Out-Null
            (Get-CimaaAccessKey).ForEach({ "$($_.Permissions -join ',')|$($_.Description)" })
            '---'
            (Get-CimaaAccessKey | Set-CimaaAccessKey -Disable -AddPermission d:r -PassThru).ForEach({ "$($_.State) $($_.Permissions -join ',')" })
            '---'
            @(Get-CimaaAccessKey | Get-CimaaAccessKey).Count
            Get-CimaaAccessKey | Remove-CimaaAccessKey -Confirm:$false
            @(Get-CimaaAccessKey).Count
            """).ThrowIfFailed();
        // Keys are listed by id, which is random: sort here (Sort-Object is not in the hosted engine's default session).
        var lines = r.Output.Select(o => o.BaseObject.ToString()!).ToList();
        Assert.Equal(["a:r|first", "b:w,c:r,c:w|"], lines.TakeWhile(l => l != "---").Order(StringComparer.Ordinal));
        Assert.Equal(["Inactive a:r,d:r", "Inactive b:w,c:r,c:w,d:r"], lines.SkipWhile(l => l != "---").Skip(1).TakeWhile(l => l != "---").Order(StringComparer.Ordinal));
        Assert.Equal(["2", "0"], lines.SkipWhile(l => l != "---").Skip(1).SkipWhile(l => l != "---").Skip(1));
    }

    [Fact]
    public void One_invalid_permission_stops_the_command_and_writes_nothing()
    {
        var r = Run("""
            @([pscustomobject]@{ Permission = 'ok:r' }, [pscustomobject]@{ Permission = 'web:x' }) | New-CimaaAccessKey
            """);
        Assert.Equal(["InvalidPermission"], r.ErrorIds);
        Assert.Equal(ErrorCategory.InvalidArgument, r.SingleError.CategoryInfo.Category);
        Assert.Equal("web:x", r.SingleError.TargetObject);
        Assert.Contains("'web:x' is not a permission", r.SingleError.Exception.Message);
        Assert.Empty(Run("Get-CimaaAccessKey").ThrowIfFailed().Output);

        r = Run("""
            $k = New-CimaaAccessKey -Permission a:r
            Set-CimaaAccessKey $k.AccessKeyId -AddPermission b:r, 'b:' -Disable
            (Get-CimaaAccessKey).ForEach({ "$($_.State) $($_.Permissions -join ',')" })
            """);
        Assert.Equal(["InvalidPermission"], r.ErrorIds);
        Assert.Equal("Active a:r", Assert.Single(r.Output).BaseObject);
    }

    [Fact]
    public void A_missing_key_among_several_is_a_non_terminating_AccessKeyNotFound()
    {
        var r = Run("""
            $a = New-CimaaAccessKey -Permission a:r
            $b = New-CimaaAccessKey -Permission b:r
            @(Get-CimaaAccessKey NOPE0000000000000000, $a.AccessKeyId).Count
            @('NOPE0000000000000000', $a.AccessKeyId) | ForEach-Object { [pscustomobject]@{ AccessKeyId = $_ } } | Set-CimaaAccessKey -Disable
            Remove-CimaaAccessKey NOPE0000000000000000, $b.AccessKeyId -Confirm:$false
            (Get-CimaaAccessKey).ForEach({ "$($_.AccessKeyId -eq $a.AccessKeyId) $($_.State)" })
            """);
        Assert.Equal(["AccessKeyNotFound", "AccessKeyNotFound", "AccessKeyNotFound"], r.ErrorIds);
        Assert.All(r.Errors, e => Assert.Equal(("NOPE0000000000000000", ErrorCategory.ObjectNotFound), (e.TargetObject, e.CategoryInfo.Category)));
        // Each command went on after the missing id: a was disabled and b removed.
        Assert.Equal([1, (object)"True Inactive"], r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Get_matches_ids_exactly_or_by_case_sensitive_wildcard()
    {
        var r = Run("""
            $k = New-CimaaAccessKey -Permission a:r
            @(Get-CimaaAccessKey ($k.AccessKeyId.Substring(0, 4) + '*')).Count
            @(Get-CimaaAccessKey ($k.AccessKeyId.Substring(0, 4).ToLowerInvariant() + '*')).Count
            @(Get-CimaaAccessKey *).Count
            @(Get-CimaaAccessKey $k.AccessKeyId.ToLowerInvariant() -ErrorAction SilentlyContinue).Count
            """).ThrowIfFailed();
        Assert.Equal([1, 0, 1, 0], r.Output.Select(o => (int)o.BaseObject));
    }

    [Fact]
    public void Set_replaces_adds_and_removes_permissions_and_sets_state_and_description()
    {
        var r = Run("""
            $k = New-CimaaAccessKey -Permission a:rw -Description old
            $id = $k.AccessKeyId
            $s = Set-CimaaAccessKey $id -Permission b:r, c:w -PassThru; "$($s.Permissions -join ',')|$($s.Description)"
            $s = Set-CimaaAccessKey $id -AddPermission d:rw -RemovePermission b:r -Description new -PassThru; "$($s.Permissions -join ',')|$($s.Description)"
            $s = Set-CimaaAccessKey $id -Permission @() -Disable -PassThru; "$($s.Permissions.Count)|$($s.State)"
            $s = Set-CimaaAccessKey $id -Enable -Description '' -PassThru; "$($s.State)|$($null -eq $s.Description)"
            Set-CimaaAccessKey $id -Enable
            """).ThrowIfFailed();
        Assert.Equal(["b:r,c:w|old", "c:w,d:r,d:w|new", "0|Inactive", "Active|True"], r.Output.Select(o => o.BaseObject));
        var e = Run("Set-CimaaAccessKey X -Enable -Disable");
        Assert.Contains("AmbiguousParameterSet", e.ErrorIds);
    }

    [Fact]
    public void Granting_every_domain_asks_first_and_a_host_that_cannot_ask_stops_with_nothing_written()
    {
        var r = Run("New-CimaaAccessKey -Permission a:r, '*:r'");
        Assert.Equal(["ConfirmationRequired"], r.ErrorIds);
        Assert.Contains("-Force", r.SingleError.Exception.Message);
        Assert.Empty(Run("Get-CimaaAccessKey").ThrowIfFailed().Output);

        var ok = Run("""
            (New-CimaaAccessKey -Permission '*:r' -Force).Permissions
            (New-CimaaAccessKey -Permission '*:w' -Confirm:$false).Permissions
            $ConfirmPreference = 'None'; (New-CimaaAccessKey -Permission '*:rw').Permissions -join ','
            $ConfirmPreference = 'High'
            New-CimaaAccessKey -Permission '*:r' -WhatIf
            @(Get-CimaaAccessKey).Count
            """).ThrowIfFailed();
        Assert.Equal(["*:r", "*:w", "*:r,*:w", (object)3], ok.Output.Select(o => o.BaseObject));

        var set = Run("""
            $k = New-CimaaAccessKey -Permission a:r
            Set-CimaaAccessKey $k.AccessKeyId -AddPermission '*:w'
            (Get-CimaaAccessKey $k.AccessKeyId).Permissions -join ','
            Set-CimaaAccessKey $k.AccessKeyId -AddPermission '*:w' -Force
            (Get-CimaaAccessKey $k.AccessKeyId).Permissions -join ','
            """);
        Assert.Equal(["ConfirmationRequired"], set.ErrorIds);
        Assert.Equal(["a:r", "*:w,a:r"], set.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void WhatIf_writes_nothing_and_Remove_asks_first()
    {
        var writer = new StringWriter();
        var r = Ps.RunWithHost("""
            Connect-Cimaa -Path $db
            New-CimaaAccessKey -Permission a:r -WhatIf
            $k = New-CimaaAccessKey -Permission b:w
            Set-CimaaAccessKey $k.AccessKeyId -Disable -WhatIf
            Remove-CimaaAccessKey $k.AccessKeyId -WhatIf
            (Get-CimaaAccessKey).ForEach({ "$($_.State) $($_.Permissions)" })
            """, writer, Vars).ThrowIfFailed();
        Assert.Equal("Active b:w", Assert.Single(r.Output).BaseObject);
        var text = writer.ToString();
        Assert.Contains("What if: Performing the operation \"Create\" on target \"an access key with the permissions a:r\".", text);
        Assert.Contains("Performing the operation \"Set: disable\" on target \"access key '", text);
        Assert.Contains("Performing the operation \"Remove\" on target \"access key '", text);

        var refused = Run("Remove-CimaaAccessKey (Get-CimaaAccessKey).AccessKeyId");
        Assert.NotEmpty(refused.ErrorIds);
        Assert.Contains("-Confirm:$false", refused.SingleError.Exception.Message);
        Assert.Single(Run("Get-CimaaAccessKey").ThrowIfFailed().Output);
    }

    [Fact]
    public void The_views_show_keys_as_a_table_and_a_new_key_as_a_list_with_the_whole_secret()
    {
        var writer = new StringWriter();
        var r = Ps.RunWithHost("""
            Connect-Cimaa -Path $db
            $k = New-CimaaAccessKey -Permission web:rw -Description 'web servers'
            $k | Out-Default
            '==' | Out-Default
            Get-CimaaAccessKey | Out-Default
            $k.SecretAccessKey
            """, writer, Vars).ThrowIfFailed();
        var secret = (string)r.Output.Last().BaseObject;
        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Contains(lines, l => l == "SecretAccessKey : " + secret);
        Assert.Contains(lines, l => l == "Permissions     : web:r, web:w");
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^AccessKeyId\s+State\s+Created\s+Permissions\s+Description$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^[A-Z0-9]{20}\s+Active\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+web:r, web:w\s+web servers$"));
        var table = writer.ToString()[writer.ToString().IndexOf("==", StringComparison.Ordinal)..];
        Assert.DoesNotContain(secret, table);
    }

    [Fact]
    public void Keys_live_in_the_credentials_table_on_DynamoDB_too()
    {
        var vars = new Dictionary<string, object> { ["endpoint"] = DynaliteServer.Shared.Endpoint, ["prefix"] = "keys" + Guid.NewGuid().ToString("N")[..8] };
        var r = Ps.Run("""
            Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix
            Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null
            $k = New-CimaaAccessKey -Permission web:r
            Set-CimaaAccessKey $k.AccessKeyId -Permission @() -PassThru | ForEach-Object { $_.Permissions.Count }
            (Get-CimaaAccessKey).AccessKeyId -eq $k.AccessKeyId
            Remove-CimaaAccessKey $k.AccessKeyId -Confirm:$false
            @(Get-CimaaAccessKey).Count
            (Get-CimaaConnection).Requests.Keys -join ','
            """, vars).ThrowIfFailed();
        Assert.Equal([0, true, (object)0], r.Output.Take(3).Select(o => o.BaseObject));
        var operations = ((string)r.Output[3].BaseObject).Split(',');
        Assert.Contains("PutItem", operations);
        Assert.Contains("GetItem", operations);
        Assert.Contains("DeleteItem", operations);
    }
}
