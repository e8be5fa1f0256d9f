using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>The argument completers, driven through TabExpansion2 as a user's Tab key would.</summary>
public class CompletionTests
{
    /// <summary>Runs <paramref name="setup"/>, then completes <paramref name="input"/> at its end, in the same runspace.</summary>
    private static string[] Complete(string db, string setup, string input)
    {
        var r = Ps.Run(setup + """

            (TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches.ForEach({ $_.CompletionText })
            """, new Dictionary<string, object> { ["db"] = db, ["in"] = input }).ThrowIfFailed();
        return r.Output.Select(o => (string)o.BaseObject).ToArray();
    }

    private const string Agents = """
        Connect-Cimaa -Path $db
        foreach ($a in 'web1', 'web2', 'db1', 'my host', "o'brien") { Set-CimaaFault -Agent $a }
        """;

    private const string Squelches = """
        Connect-Cimaa -Path $db
        Add-CimaaSquelch -Pattern '^http#' -Reason deploy
        Add-CimaaSquelch -Pattern 'disk' -Reason volume
        Add-CimaaSquelch -Pattern 'load avg' -Reason noisy
        """;

    [Theory]
    [InlineData("Get-CimaaFault -Agent we")]
    [InlineData("Set-CimaaFault -Agent we")]
    [InlineData("Remove-CimaaFault -Name x -Agent we")]
    [InlineData("Get-CimaaAgent -Agent we")]
    [InlineData("Get-CimaaAgent we")]
    [InlineData("Remove-CimaaAgent -Agent WE")]
    public void Agent_completes_from_heartbeats_by_prefix(string input)
    {
        using var dir = new TempDir();
        Assert.Equal(["web1", "web2"], Complete(dir.File("c.db"), Agents, input));
    }

    [Fact]
    public void Agent_completion_lists_every_agent_sorted_and_quotes_where_needed()
    {
        using var dir = new TempDir();
        Assert.Equal(["db1", "'my host'", "'o''brien'", "web1", "web2"], Complete(dir.File("c.db"), Agents, "Get-CimaaFault -Agent "));
    }

    [Fact]
    public void The_typed_word_may_hold_wildcards_and_quotes()
    {
        using var dir = new TempDir();
        var db = dir.File("c.db");
        Assert.Equal(["db1", "web1"], Complete(db, Agents, "Get-CimaaFault -Agent *1"));
        Assert.Equal(["'my host'"], Complete(db, Agents, "Get-CimaaFault -Agent 'my"));
        Assert.Equal(["'web1'", "'web2'"], Complete(db, Agents, "Get-CimaaFault -Agent 'w"));
    }

    [Theory]
    [InlineData("Get-CimaaSquelch -Pattern ")]
    [InlineData("Remove-CimaaSquelch -Pattern ")]
    [InlineData("Test-CimaaSquelch ")]
    public void Pattern_completes_from_squelches(string input)
    {
        using var dir = new TempDir();
        Assert.Equal(["^http#", "disk", "'load avg'"], Complete(dir.File("c.db"), Squelches, input));
    }

    [Fact]
    public void Pattern_completion_matches_the_typed_prefix()
    {
        using var dir = new TempDir();
        Assert.Equal(["'load avg'"], Complete(dir.File("c1.db"), Squelches, "Get-CimaaSquelch -Pattern lo"));
        Assert.Equal(["^http#"], Complete(dir.File("c2.db"), Squelches, "Remove-CimaaSquelch -Regex ^h"));
    }

    [Fact]
    public void Completion_uses_the_connection_given_on_the_command_line()
    {
        using var dir = new TempDir();
        var setup = """
            $other = Connect-Cimaa -Path ($db + '.other') -PassThru
            Set-CimaaFault -Agent elsewhere1 -Connection $other
            Connect-Cimaa -Path $db
            Set-CimaaFault -Agent here1
            """;
        var db = dir.File("c.db");
        Assert.Equal(["elsewhere1"], Complete(db, setup, "Get-CimaaFault -Connection $other -Agent "));
        Assert.Equal(["here1"], Complete(db, setup, "Get-CimaaFault -Agent "));
    }

    [Fact]
    public void Results_are_cached_per_connection()
    {
        using var dir = new TempDir();
        var r = Ps.Run("""
            Connect-Cimaa -Path $db
            Set-CimaaFault -Agent web1
            $in = 'Get-CimaaAgent -Agent '
            $first = (TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches.ForEach({ $_.CompletionText }) -join ','
            Set-CimaaFault -Agent web2
            $cached = (TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches.ForEach({ $_.CompletionText }) -join ','
            Connect-Cimaa -Path $db
            $fresh = (TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches.ForEach({ $_.CompletionText }) -join ','
            $first; $cached; $fresh
            """, new Dictionary<string, object> { ["db"] = dir.File("c.db") }).ThrowIfFailed();
        Assert.Equal(["web1", "web1", "web1,web2"], r.Output.Select(o => (string)o.BaseObject));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public void Values_are_kept_30_seconds_on_the_clock_of_the_connection(string kind)
    {
        using var store = new TestStore(kind);
        string Agents() => string.Join(",", store.Run("""
            $in = 'Get-CimaaAgent -Connection $connection -Agent '
            (TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches.ForEach({ $_.CompletionText })
            """).ThrowIfFailed().Output.Select(o => (string)o.BaseObject));
        store.Run("Set-CimaaFault -Agent web1").ThrowIfFailed();
        Assert.Equal("web1", Agents());
        store.Run("Set-CimaaFault -Agent web2").ThrowIfFailed();
        store.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("web1", Agents());
        store.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("web1,web2", Agents());
    }

    private const string Config = """
        Connect-Cimaa -Path $db
        Set-CimaaConfig prod db -Value @{ host = 'h' }
        Set-CimaaConfig prod cache -Value @{ ttl = 5 }
        Set-CimaaConfig staging db -Value @{ host = 's' }
        """;

    [Theory]
    [InlineData("Get-CimaaConfig -Store p", new[] { "prod" })]
    [InlineData("Get-CimaaConfig ", new[] { "prod", "staging" })]
    [InlineData("Set-CimaaConfig -Store st", new[] { "staging" })]
    [InlineData("Get-CimaaConfig -Store prod -Option ", new[] { "cache", "db" })]
    [InlineData("Remove-CimaaConfig -Store staging -Option ", new[] { "db" })]
    [InlineData("Get-CimaaConfig -Option ", new string[0])]
    public void Store_and_Option_complete_from_the_config_table(string input, string[] expected)
    {
        using var dir = new TempDir();
        Assert.Equal(expected, Complete(dir.File("c.db"), Config, input));
    }
}
