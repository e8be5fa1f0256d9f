using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>-Verbose says the same on both stores: one line per read, naming what is read and the table (only table names differ).</summary>
public class VerboseTests
{
    public static TheoryData<string> Stores => new() { "Local", "DynamoDB" };

    [Theory]
    [MemberData(nameof(Stores))]
    public void Get_CimaaFault_writes_one_verbose_line_per_read_on_both_stores(string kind)
    {
        using var dir = new TempDir();
        var prefix = "vb" + Guid.NewGuid().ToString("N")[..12] + ".";
        var connect = kind == "Local" ? "Connect-Cimaa -Path $db" : "Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix";
        var r = Ps.Run(connect + """

            Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null
            [pscustomobject]@{ Name = 'disk'; Severity = 40; Message = 'full' } | Set-CimaaFault -Agent web1
            Set-CimaaFault -Agent web2
            Get-CimaaFault -Verbose | Out-Null
            Get-CimaaFault -Agent web2 -Verbose | Out-Null
            """, new Dictionary<string, object> { ["db"] = dir.File("v.db"), ["endpoint"] = DynaliteServer.Shared.Endpoint, ["prefix"] = prefix })
            .ThrowIfFailed();
        var (faults, heartbeats, squelches) = kind == "Local"
            ? ("faults", "heartbeats", "squelches")
            : (prefix + "faults", prefix + "faults", prefix + "squelches");
        // The agents' reads run ahead in parallel, so the lines are compared as a multiset.
        Assert.Equal(new[]
        {
            $"Reading squelches from table '{squelches}'",
            $"Reading heartbeats from table '{heartbeats}'",
            $"Reading the faults of agent web1 from table '{faults}'",
            $"Reading the faults of agent web2 from table '{faults}'",
            $"Reading squelches from table '{squelches}'",
            $"Reading the faults of agent web2 from table '{faults}'",
        }.Order(), r.Verbose.Order());
    }
}
