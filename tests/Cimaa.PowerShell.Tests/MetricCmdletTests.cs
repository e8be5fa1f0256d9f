using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

public sealed class MetricCmdletTests : IDisposable
{
    private readonly TempDir _dir = new();
    private Dictionary<string, object> Vars => new() { ["db"] = _dir.File("m.db") };

    private PsResult Run(string script) => Ps.Run("Connect-Cimaa -Path $db\n" + script, Vars);

    private static PsResult RunDynamo(string script) => Ps.Run(
        "Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix\nInitialize-CimaaTable -WarningAction SilentlyContinue | Out-Null\n" + script,
        new Dictionary<string, object> { ["endpoint"] = DynaliteServer.Shared.Endpoint, ["prefix"] = "m" + Guid.NewGuid().ToString("N")[..10] });

    public void Dispose() => _dir.Dispose();

    /// <summary>Five-minute-aligned times 30 to 40 minutes ago: $b is a window start, so the expected windows are exact.</summary>
    private const string Times = """
        $w = 300
        $b = [DateTimeOffset]::FromUnixTimeSeconds([math]::Floor(([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() - 2400) / $w) * $w)
        """;

    private const string PipedPoints = Times + """

        @(
            [pscustomobject]@{ Name = 'cpu'; Value = 10; Tags = @{ host = 'web1'; dc = 'eu' }; Timestamp = $b }
            [pscustomobject]@{ Name = 'cpu'; Value = 20; Tags = @{ host = 'web1'; dc = 'eu' }; Timestamp = $b.AddSeconds(60) }
            [pscustomobject]@{ Name = 'cpu'; Value = 40.5; Tags = @{ host = 'web2'; dc = 'eu' }; Timestamp = $b.AddSeconds(30) }
            [pscustomobject]@{ Name = 'cpu'; Value = 7; Tags = @{ host = 'web1'; dc = 'eu' }; Timestamp = $b.AddSeconds(310) }
        ) | Write-CimaaMetric

        """;

    [Fact]
    public void Objects_piped_to_Write_CimaaMetric_come_back_from_Get_CimaaMetric()
    {
        var r = Run(PipedPoints + "Get-CimaaMetric cpu -Start -1h").ThrowIfFailed();
        Assert.Equal(4, r.Output.Count);
        Assert.Equal("Cimaa.DataPoint", r.Output[0].TypeNames[0]);
        Assert.Equal([10m, 20m, 7m, 40.5m], r.Output.Select(o => (decimal)o.Properties["Value"].Value));
        var tags = Assert.IsType<OrderedDictionary>(r.Output[0].Properties["Tags"].Value);
        Assert.Equal(["dc", "host"], tags.Keys.Cast<string>());
        Assert.Equal("web2", ((IDictionary)r.Output[3].Properties["Tags"].Value)["host"]);
        Assert.Equal("default", r.Output[0].Properties["Domain"].Value);
        Assert.IsType<DateTimeOffset>(r.Output[0].Properties["Timestamp"].Value);
    }

    [Fact]
    public void Downsample_300_and_Aggregate_avg_merge_the_streams_into_five_minute_windows()
    {
        var r = Run(PipedPoints + """
            Get-CimaaMetric -Name cpu -Start -1h -Downsample 300 -Aggregate avg
            '---'
            (Get-CimaaMetric cpu -Start -1h -Downsample 300 -Aggregate avg)[0].Timestamp -eq $b
            """).ThrowIfFailed();
        // Window $b: web1 avg(10, 20) = 15, web2 40.5 -> avg 27.75. Window $b+300: web1 7.
        Assert.Equal([27.75m, 7m], r.Output.Take(2).Select(o => (decimal)o.Properties["Value"].Value));
        var tags = (IDictionary)r.Output[0].Properties["Tags"].Value;
        Assert.Equal(new[] { "web1", "web2" }, (string[])tags["host"]!);
        Assert.Equal(new[] { "eu" }, (string[])tags["dc"]!);
        Assert.Equal(true, r.Output[3].BaseObject);
    }

    [Fact]
    public void Tags_filter_with_an_array_and_the_downsample_function()
    {
        var r = Run(PipedPoints + """
            (Get-CimaaMetric cpu -Start -1h -Tags @{ host = @('web2', 'web9') }).Value
            '---'
            (Get-CimaaMetric cpu -Start -1h -Tags @{ host = 'web1' } -Downsample 300 -DownsampleFunction max).Value
            """).ThrowIfFailed();
        Assert.Equal(["40.5", "---", "20", "7"], r.Output.Select(o => Convert.ToString(o.BaseObject, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void One_bad_input_stops_the_pipeline_and_writes_nothing()
    {
        var r = Run("""
            @(
                [pscustomobject]@{ Name = 'ok'; Value = 1 }
                [pscustomobject]@{ Name = 'bad|name'; Value = 2 }
            ) | Write-CimaaMetric
            """);
        Assert.Equal(["InvalidMetric"], r.ErrorIds);
        Assert.Equal(ErrorCategory.InvalidArgument, r.SingleError.CategoryInfo.Category);
        Assert.Contains("bad|name", r.SingleError.Exception.Message);
        var missing = Run("[pscustomobject]@{ Value = 2 } | Write-CimaaMetric");
        Assert.Equal(["InvalidMetric"], missing.ErrorIds);
        Assert.Empty(Run("Get-CimaaMetricName").ThrowIfFailed().Output);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Relative_times_are_read_on_the_clock_of_the_connection(string kind)
    {
        using var store = new TestStore(kind, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var r = store.Run("""
            Write-CimaaMetric cpu 1 -Timestamp '2026-11-23T11:30:00Z'
            Write-CimaaMetric cpu 2 -Timestamp '2026-11-23T10:30:00Z'
            (Get-CimaaMetric cpu -Start -1h).Value
            '---'
            (Get-CimaaMetric cpu -Start -2h -End -1h).Value
            """).ThrowIfFailed();
        Assert.Equal(["1", "---", "2"], r.Output.Select(o => Convert.ToString(o.BaseObject, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Bad_times_are_InvalidTime()
    {
        var r = Run("Get-CimaaMetric cpu -Start yesterday");
        Assert.Equal(["InvalidTime"], r.ErrorIds);
        Assert.Equal("yesterday", r.SingleError.TargetObject);
        Assert.Equal(["InvalidTime"], Run("Get-CimaaMetric cpu -Start -1h -End -2h").ErrorIds);
        Assert.Empty(Run("Get-CimaaMetric cpu -Start ([DateTimeOffset]::UtcNow.AddHours(-1)) -End now").ThrowIfFailed().Output);
    }

    [Fact]
    public void Non_numeric_values_round_trip_and_are_skipped_with_one_warning_when_downsampling()
    {
        var r = Run("""
            Write-CimaaMetric state 'deploying' -Timestamp ([DateTimeOffset]::UtcNow.AddMinutes(-2))
            Write-CimaaMetric state ([pscustomobject]@{ phase = 'done'; ok = $true }) -Timestamp ([DateTimeOffset]::UtcNow.AddMinutes(-1))
            Write-CimaaMetric state 3 -PassThru | ForEach-Object { $_.Value.GetType().Name }
            $p = Get-CimaaMetric state -Start -10m
            $p[0].Value
            $p[1].Value.phase
            '---'
            Get-CimaaMetric state -Start -10m -Aggregate count | ForEach-Object { 'n=' + $_.Value }
            """).ThrowIfFailed();
        Assert.Equal(["Decimal", "deploying", "done", "---", "n=1"], r.Output.Select(o => o.BaseObject.ToString()));
        Assert.Contains("2 non-numeric", Assert.Single(r.Warnings));
    }

    [Fact]
    public void Names_and_tags_are_listed_and_domains_isolate_them()
    {
        var r = Run("""
            Write-CimaaMetric cpu 1 -Tags @{ host = 'a'; dc = 'eu' }
            Write-CimaaMetric cpu 2 -Tags @{ host = 'b' }
            Write-CimaaMetric mem 3 -Domain lab
            Get-CimaaMetricName
            '---'
            Get-CimaaMetricName lab
            '---'
            Get-CimaaMetricTag cpu
            """).ThrowIfFailed();
        Assert.Equal(["cpu", "---", "mem", "---"], r.Output.Take(4).Select(o => o.BaseObject.ToString()));
        var tags = r.Output.Skip(4).ToList();
        Assert.Equal("Cimaa.MetricTag", tags[0].TypeNames[0]);
        Assert.Equal(["dc", "host"], tags.Select(t => (string)t.Properties["Key"].Value));
        Assert.Equal(new[] { "a", "b" }, (string[])tags[1].Properties["Values"].Value);
    }

    [Fact]
    public void Views_show_time_name_value_and_tags()
    {
        var writer = new StringWriter();
        Ps.RunWithHost("""
            Connect-Cimaa -Path $db
            Write-CimaaMetric cpu 1.5 -Tags @{ host = 'web1'; dc = 'eu' } -Timestamp ([DateTimeOffset]::new(2026, 11, 23, 11, 59, 0, 250, [TimeSpan]::Zero))
            Get-CimaaMetric cpu -Start '2026-11-23T11:00:00Z' -End '2026-11-23T12:00:00Z' | Out-Default
            Get-CimaaMetricTag cpu | Out-Default
            Write-CimaaMetric cpu 2 -WhatIf
            """, writer, Vars).ThrowIfFailed();
        var text = writer.ToString();
        Assert.Contains("Timestamp", text);
        Assert.Matches(@"2026-11-23 11:59:00\.250Z\s+cpu\s+1\.5\s+dc=eu;host=web1", text);
        Assert.Matches(@"cpu\s+host\s+web1", text);
        Assert.Contains("What if:", text);
    }

    [Fact]
    public void DynamoDB_pipeline_write_then_downsampled_aggregate()
    {
        var r = RunDynamo(PipedPoints + """
            Get-CimaaMetric cpu -Start -1h -Downsample 300 -Aggregate sum
            '---'
            Get-CimaaMetricName
            Get-CimaaMetricTag cpu | ForEach-Object { $_.Key + '=' + ($_.Values -join ',') }
            """).ThrowIfFailed();
        Assert.Equal([55.5m, 7m], r.Output.Take(2).Select(o => (decimal)o.Properties["Value"].Value));
        Assert.Equal(["---", "cpu", "dc=eu", "host=web1,web2"], r.Output.Skip(2).Select(o => o.BaseObject.ToString()));
    }
}
