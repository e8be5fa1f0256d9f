using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// Every Remove- cmdlet collects its pipeline input in ProcessRecord and asks ShouldProcess in EndProcessing, just before it
/// writes, as the contract's pipeline rule says: no "What if" line comes before the last input record has arrived.
/// </summary>
public class RemovePhaseTests
{
    [Theory]
    [InlineData("[pscustomobject]@{ Agent = $_ }", "Remove-CimaaAgent", "agent 'a'")]
    [InlineData("[pscustomobject]@{ Agent = 'web1'; Name = $_ }", "Remove-CimaaFault", "fault 'a' of agent 'web1'")]
    [InlineData("[pscustomobject]@{ Pattern = $_ }", "Remove-CimaaSquelch", "squelch 'a'")]
    [InlineData("[pscustomobject]@{ Store = 'prod'; Option = $_ }", "Remove-CimaaConfig", "prod/a")]
    public void ShouldProcess_comes_after_all_input(string record, string cmdlet, string firstTarget)
    {
        using var dir = new TempDir();
        var writer = new StringWriter();
        Ps.RunWithHost($$"""
            Connect-Cimaa -Path $db
            'a', 'b' | ForEach-Object { $Host.UI.WriteLine("input $_"); {{record}} } | {{cmdlet}} -WhatIf
            """, writer, new Dictionary<string, object> { ["db"] = dir.File("r.db") }).ThrowIfFailed();
        var lines = writer.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        Assert.Equal(["input a", "input b"], lines.Take(2));
        Assert.Equal(2, lines.Count(l => l.StartsWith("What if:", StringComparison.Ordinal)));
        Assert.Contains(firstTarget, lines[2]);
    }
}
