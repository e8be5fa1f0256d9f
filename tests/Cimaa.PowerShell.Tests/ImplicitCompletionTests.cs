using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>Tests that set CIMAA_DB, CIMAA_CONFIG or XDG_DATA_HOME, which are process-wide: they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "Process environment";
}

/// <summary>
/// Completion in a fresh session that relies on $env:CIMAA_DB or $env:CIMAA_CONFIG, without Connect-Cimaa: it completes from the
/// implicit connection when that store exists, and never creates a file or a folder.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public sealed class ImplicitCompletionTests : IDisposable
{
    private static readonly string[] Variables = ["CIMAA_DB", "CIMAA_CONFIG", "XDG_DATA_HOME"];
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        _dir.Dispose();
    }

    private static void Set(string name, string? value) => Environment.SetEnvironmentVariable(name, value);

    /// <summary>Seeds agents through an explicit connection in another runspace.</summary>
    private static void SeedAgents(string connect, params string[] agents) =>
        Ps.Run(connect + "\nInitialize-CimaaTable -WarningAction SilentlyContinue | Out-Null\nforeach ($a in $agents) { Set-CimaaFault -Agent $a }",
            new Dictionary<string, object> { ["agents"] = agents, ["endpoint"] = DynaliteServer.Shared.Endpoint }).ThrowIfFailed();

    /// <summary>Completes in a new runspace with no session default, as a fresh pwsh would.</summary>
    private static string[] CompleteInFreshSession(string input, string after = "")
    {
        var r = Ps.RunWithHost("""
            (TabExpansion2 -inputScript $in -cursorColumn $in.Length).CompletionMatches.ForEach({ $_.CompletionText })
            """ + "\n" + after, new StringWriter(), new Dictionary<string, object> { ["in"] = input }).ThrowIfFailed();
        return r.Output.Select(o => o.BaseObject.ToString()!).ToArray();
    }

    [Fact]
    public void CIMAA_DB_naming_an_existing_file_completes_agents_patterns_and_stores()
    {
        var db = _dir.File("env.db");
        SeedAgents($"Connect-Cimaa -Path '{db}'", "web1", "web2", "db1");
        Ps.Run("Connect-Cimaa -Path $db; Add-CimaaSquelch -Pattern disk -Reason r; Set-CimaaConfig prod db -Value @{ a = 1 }",
            new Dictionary<string, object> { ["db"] = db }).ThrowIfFailed();
        Set("CIMAA_DB", db);
        Assert.Equal(["web1", "web2"], CompleteInFreshSession("Get-CimaaFault -Agent we"));
        Assert.Equal(["disk"], CompleteInFreshSession("Get-CimaaSquelch -Pattern d"));
        Assert.Equal(["prod"], CompleteInFreshSession("Get-CimaaConfig -Store p"));
    }

    [Fact]
    public void Completing_does_not_make_the_implicit_connection_the_session_default()
    {
        var db = _dir.File("env.db");
        SeedAgents($"Connect-Cimaa -Path '{db}'", "web1");
        Set("CIMAA_DB", db);
        // After Tab, a changed $env:CIMAA_DB still decides which store the first cmdlet uses.
        var output = CompleteInFreshSession("Get-CimaaAgent -Agent ", "$env:CIMAA_DB = $env:CIMAA_DB + '.other'; (Get-CimaaConnection).Path");
        Assert.Equal(["web1", db + ".other"], output);
    }

    [Fact]
    public void CIMAA_DB_naming_a_missing_file_offers_nothing_and_creates_nothing()
    {
        var db = Path.Combine(_dir.Path, "sub", "none.db");
        Set("CIMAA_DB", db);
        Assert.Empty(CompleteInFreshSession("Get-CimaaFault -Agent "));
        Assert.False(File.Exists(db));
        Assert.False(Directory.Exists(Path.GetDirectoryName(db)));
    }

    [Fact]
    public void The_default_file_completes_when_it_exists_and_otherwise_neither_file_nor_folder_is_created()
    {
        Set("CIMAA_DB", null);
        Set("XDG_DATA_HOME", _dir.Path);
        var folder = Path.Combine(_dir.Path, "cimaa");
        Assert.Empty(CompleteInFreshSession("Get-CimaaFault -Agent "));
        Assert.False(Directory.Exists(folder), "completion created the default folder");

        Directory.CreateDirectory(folder);
        SeedAgents($"Connect-Cimaa -Path '{Path.Combine(folder, "cimaa.db")}'", "web1");
        Assert.Equal(["web1"], CompleteInFreshSession("Remove-CimaaAgent -Agent w"));
    }

    [Fact]
    public void CIMAA_CONFIG_naming_DynamoDB_completes_from_its_tables()
    {
        var prefix = "cc" + Guid.NewGuid().ToString("N")[..12];
        SeedAgents($"Connect-Cimaa -EndpointUrl $endpoint -TablePrefix {prefix}", "api1", "api2");
        var ini = _dir.File("agent.cfg");
        File.WriteAllText(ini, $"[database]\nclass = zc.cimaa.dynamodb\nregion = us-east-1\nprefix = {prefix}\nendpoint_url = {DynaliteServer.Shared.Endpoint}\n");
        Set("CIMAA_CONFIG", ini);
        Set("CIMAA_DB", _dir.File("unused.db"));
        Assert.Equal(["api1", "api2"], CompleteInFreshSession("Get-CimaaAgent "));
        Assert.False(File.Exists(_dir.File("unused.db")));
    }

    [Fact]
    public void CIMAA_CONFIG_naming_a_missing_SQLite_file_offers_nothing_and_creates_nothing()
    {
        var ini = _dir.File("agent.cfg");
        File.WriteAllText(ini, "[database]\nclass = cimaa.sqlite\npath = missing.db\n");
        Set("CIMAA_CONFIG", ini);
        Assert.Empty(CompleteInFreshSession("Get-CimaaFault -Agent "));
        Assert.False(File.Exists(_dir.File("missing.db")));
    }
}
