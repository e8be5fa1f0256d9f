using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Set-CimaaFault fed the way agent scripts feed it (empty pipelines, CSV strings), on both stores.</summary>
public class FaultPipelineTests
{
    public static TheoryData<string> Stores => new() { "Local", "DynamoDB" };

    /// <summary>Runs a script after connecting to a fresh, initialized store of the kind.</summary>
    private static PsResult Run(string kind, string script)
    {
        using var dir = new TempDir();
        var variables = new Dictionary<string, object>
        {
            ["db"] = dir.File("p.db"),
            ["endpoint"] = DynaliteServer.Shared.Endpoint,
            ["prefix"] = "fp" + Guid.NewGuid().ToString("N")[..12],
        };
        var connect = kind == "Local" ? "Connect-Cimaa -Path $db\n" : "Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix\n";
        return Ps.Run(connect + "Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null\n" + script, variables);
    }

    private static List<object> Values(PsResult r) => r.Output.Select(o => o.BaseObject).ToList();

    private const string TwoFaults = """
        @(
            [pscustomobject]@{ Name = 'disk'; Severity = 40; Message = 'full' }
            [pscustomobject]@{ Name = 'http#api'; Severity = 50; Message = 'down' }
        ) | Set-CimaaFault -Agent web1

        """;

    [Theory]
    [MemberData(nameof(Stores))]
    public void An_empty_array_piped_in_clears_the_agent_and_writes_its_heartbeat(string kind)
    {
        var r = Run(kind, TwoFaults + """
            @() | Set-CimaaFault -Agent web1
            @(Get-CimaaFault web1).Count
            @() | Set-CimaaFault -Agent web2
            (Get-CimaaAgent).Agent -join ','
            """).ThrowIfFailed();
        Assert.Equal([0, (object)"web1,web2"], Values(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Healthy_checks_filtered_out_by_Where_Object_clear_the_agent(string kind)
    {
        var r = Run(kind, TwoFaults + """
            $checks = @(
                [pscustomobject]@{ Name = 'disk'; Severity = 0; Message = 'ok' }
                [pscustomobject]@{ Name = 'load'; Severity = 0; Message = 'ok' }
            )
            $checks | Where-Object { $_.Severity } | Set-CimaaFault -Agent web1
            @(Get-CimaaFault web1).Count
            (Get-CimaaAgent web1).Agent
            """).ThrowIfFailed();
        Assert.Equal([0, (object)"web1"], Values(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void An_empty_pipeline_with_Check_clears_only_that_check(string kind)
    {
        var r = Run(kind, TwoFaults + """
            @() | Set-CimaaFault -Agent web1 -Check http
            (Get-CimaaFault web1).Name -join ','
            """).ThrowIfFailed();
        Assert.Equal(["disk"], Values(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void An_empty_pipeline_ignores_fault_parameters_given_on_the_command_line(string kind)
    {
        // The piped records are the faults; -Name and -Severity only fill in what each record lacks, and none came.
        var r = Run(kind, TwoFaults + """
            @() | Set-CimaaFault -Agent web1 -Name disk -Severity 40
            @(Get-CimaaFault web1).Count
            """).ThrowIfFailed();
        Assert.Equal([0], Values(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void An_empty_pipeline_without_Agent_writes_nothing(string kind)
    {
        var r = Run(kind, TwoFaults + """
            @() | Set-CimaaFault
            @(Get-CimaaFault web1).Count
            """).ThrowIfFailed();
        Assert.Equal([2], Values(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_null_piped_in_clears_the_agent_without_an_error(string kind)
    {
        // $faults = <checks> | Where-Object ...; $faults | Set-CimaaFault: an empty result is $null, which pipes as one record.
        var r = Run(kind, TwoFaults + """
            $faults = @() | Where-Object { $_ }
            $faults | Set-CimaaFault -Agent web1
            @(Get-CimaaFault web1).Count
            """).ThrowIfFailed();
        Assert.Equal([0], Values(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_record_that_binds_nothing_stops_the_command_and_writes_nothing(string kind)
    {
        var r = Run(kind, TwoFaults + """
            @([pscustomobject]@{ Name = 'load'; Severity = 30 }, 'not a fault') | Set-CimaaFault -Agent web1
            (Get-CimaaFault web1).Name -join ','
            """);
        Assert.Equal(["InvalidFault"], r.ErrorIds);
        Assert.Equal(["disk,http#api"], Values(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Triggered_given_as_text_or_numbers_is_stored_as_meant(string kind)
    {
        var r = Run(kind, """
            @(
                [pscustomobject]@{ Name = 'a'; Severity = '40'; Triggered = 'True' }
                [pscustomobject]@{ Name = 'b'; Severity = '40'; Triggered = 'false' }
                [pscustomobject]@{ Name = 'c'; Severity = '40'; Triggered = 'y' }
                [pscustomobject]@{ Name = 'd'; Severity = '40'; Triggered = '' }
                [pscustomobject]@{ Name = 'e'; Severity = '40'; Triggered = '1' }
                [pscustomobject]@{ Name = 'f'; Severity = '40'; Triggered = '0' }
                [pscustomobject]@{ Name = 'g'; Severity = 40; Triggered = 1 }
                [pscustomobject]@{ Name = 'h'; Severity = 40; Triggered = $true }
                [pscustomobject]@{ Name = 'i'; Severity = 40; Triggered = $null }
                [pscustomobject]@{ Name = 'j'; Severity = 40 }
            ) | Set-CimaaFault -Agent web1
            Set-CimaaFault -Agent web2 -Name k -Severity 40 -Triggered:$true
            (Get-CimaaFault).ForEach({ "$($_.Name)=$($_.Triggered)" }) -join ' '
            """).ThrowIfFailed();
        Assert.Equal(["a=True b=False c=True d=False e=True f=False g=True h=True i=False j=False k=True"], Values(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Faults_turned_into_text_as_Export_Csv_writes_them_round_trip(string kind)
    {
        // Import-Csv gives every property as a string: 'True', '40', and the dates as text (Set-CimaaFault ignores them).
        var r = Run(kind, """
            @(
                [pscustomobject]@{ Name = 'disk'; Severity = 40; Message = 'full'; Triggered = $true }
                [pscustomobject]@{ Name = 'load'; Severity = 30; Message = 'busy' }
            ) | Set-CimaaFault -Agent web1
            $csv = Get-CimaaFault web1 | ForEach-Object {
                $row = [ordered]@{}
                foreach ($p in $_.PSObject.Properties) { $row[$p.Name] = "$($p.Value)" }
                [pscustomobject]$row
            }
            Remove-CimaaAgent -Agent web1 -Confirm:$false
            $csv | Set-CimaaFault
            (Get-CimaaFault).ForEach({ "$($_.Agent)/$($_.Name)=$($_.Severity),$($_.Triggered),$($_.Message)" }) -join ' '
            """).ThrowIfFailed();
        Assert.Equal(["web1/disk=40,True,full web1/load=30,False,busy"], Values(r));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_Triggered_value_that_means_nothing_stops_the_command_and_writes_nothing(string kind)
    {
        var r = Run(kind, """
            @(
                [pscustomobject]@{ Name = 'disk'; Severity = 40; Triggered = 'True' }
                [pscustomobject]@{ Name = 'load'; Severity = 30; Triggered = 'maybe' }
            ) | Set-CimaaFault -Agent web1
            @(Get-CimaaFault).Count
            @(Get-CimaaAgent).Count
            """);
        Assert.Equal(["InvalidFault"], r.ErrorIds);
        Assert.Contains("'maybe'", r.SingleError.Exception.Message);
        Assert.Equal([0, 0], Values(r));
    }
}
