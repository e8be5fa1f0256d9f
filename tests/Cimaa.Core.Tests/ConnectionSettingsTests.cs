using Cimaa.Storage;

namespace Cimaa.Core.Tests;

public class ConnectionSettingsTests
{
    [Theory]
    [InlineData("cimaa", "cimaa.")]
    [InlineData("prod.", "prod.")]
    [InlineData(null, "cimaa.")]
    [InlineData("a-b_c", "a-b_c.")]
    public void Prefix_gets_a_dot_unless_it_has_one(string? prefix, string expected) =>
        Assert.Equal(expected, ConnectionSettings.NormalizePrefix(prefix));

    [Theory]
    [InlineData("bad prefix")]
    [InlineData("x/y")]
    [InlineData("ünï")]
    public void Prefix_with_illegal_characters_is_rejected(string prefix)
    {
        var e = Assert.Throws<CimaaException>(() => ConnectionSettings.NormalizePrefix(prefix));
        Assert.Equal(ErrorIds.InvalidTablePrefix, e.ErrorId);
        Assert.Equal(prefix, e.Target);
    }

    [Fact]
    public void DynamoDB_needs_a_region_or_an_endpoint()
    {
        var e = Assert.Throws<CimaaException>(() => new ConnectionSettings { Kind = StoreKind.DynamoDB }.Validate());
        Assert.Equal(ErrorIds.InvalidConnection, e.ErrorId);
        new ConnectionSettings { Kind = StoreKind.DynamoDB, Region = "eu-west-1" }.Validate();
        new ConnectionSettings { Kind = StoreKind.DynamoDB, EndpointUrl = new Uri("http://127.0.0.1:1") }.Validate();
    }

    [Fact]
    public void Table_names_follow_the_prefix()
    {
        var s = new ConnectionSettings { TablePrefix = "p." };
        Assert.Equal(("p.faults", "p.squelches", "p.config"), (s.FaultsTable, s.SquelchesTable, s.ConfigTable));
        Assert.Equal("cfg", new ConnectionSettings { ConfigTableName = "cfg" }.ConfigTable);
    }

    [Fact]
    public void ToString_never_shows_the_secret()
    {
        var s = new ConnectionSettings { Kind = StoreKind.DynamoDB, Region = "us-east-1", AccessKeyId = "AKID", SecretAccessKey = "s3cr3t" };
        Assert.DoesNotContain("s3cr3t", s.ToString());
    }

    [Fact]
    public void Default_path_prefers_CIMAA_DB_then_XDG_then_HOME()
    {
        var env = new Dictionary<string, string?> { ["CIMAA_DB"] = "/x/y.db", ["XDG_DATA_HOME"] = "/xdg", ["HOME"] = "/home/u" };
        Assert.Equal("/x/y.db", DefaultLocation.DatabasePath(k => env.GetValueOrDefault(k)));
        if (OperatingSystem.IsWindows()) return;
        env["CIMAA_DB"] = null;
        Assert.Equal("/xdg/cimaa/cimaa.db", DefaultLocation.DatabasePath(k => env.GetValueOrDefault(k)));
        env["XDG_DATA_HOME"] = null;
        Assert.Equal("/home/u/.local/share/cimaa/cimaa.db", DefaultLocation.DatabasePath(k => env.GetValueOrDefault(k)));
    }

    [Fact]
    public void Implicit_connection_uses_CIMAA_CONFIG()
    {
        using var dir = new Cimaa.Testing.TempDir();
        var ini = dir.File("agent.cfg");
        File.WriteAllText(ini, "[database]\nclass = zc.cimaa.dynamodb\nregion = us-west-2\nprefix = ops\n");
        var env = new Dictionary<string, string?> { ["CIMAA_CONFIG"] = ini };
        var s = DefaultLocation.Resolve(k => env.GetValueOrDefault(k));
        Assert.Equal((StoreKind.DynamoDB, "us-west-2", "ops."), (s.Kind, s.Region, s.TablePrefix));
    }

    [Fact]
    public void ResolveExisting_gives_the_implicit_connection_only_when_its_store_exists_and_creates_nothing()
    {
        using var dir = new Cimaa.Testing.TempDir();
        var env = new Dictionary<string, string?> { ["CIMAA_DB"] = dir.File("sub/none.db") };
        string? Env(string k) => env.GetValueOrDefault(k);
        Assert.Null(DefaultLocation.ResolveExisting(Env));
        Assert.False(Directory.Exists(dir.File("sub")));

        File.WriteAllText(dir.File("there.db"), "");
        env["CIMAA_DB"] = dir.File("there.db");
        Assert.Equal(dir.File("there.db"), DefaultLocation.ResolveExisting(Env)?.Path);

        env["CIMAA_CONFIG"] = dir.File("missing.cfg");
        Assert.Null(DefaultLocation.ResolveExisting(Env));
        File.WriteAllText(dir.File("agent.cfg"), "[database]\nclass = zc.cimaa.dynamodb\nregion = us-west-2\n");
        env["CIMAA_CONFIG"] = dir.File("agent.cfg");
        Assert.Equal(StoreKind.DynamoDB, DefaultLocation.ResolveExisting(Env)?.Kind);
    }

    [Fact]
    public void The_default_folder_is_created_for_the_default_file_but_not_for_CIMAA_DB()
    {
        using var dir = new Cimaa.Testing.TempDir();
        var env = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = dir.File("xdg"), ["HOME"] = dir.Path };
        string? Env(string k) => env.GetValueOrDefault(k);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(dir.File("xdg/cimaa/cimaa.db"), DefaultLocation.ResolveAndPrepare(Env).Path);
            Assert.True(Directory.Exists(dir.File("xdg/cimaa")));
        }

        env["CIMAA_DB"] = dir.File("given/c.db");
        Assert.Equal(dir.File("given/c.db"), DefaultLocation.ResolveAndPrepare(Env).Path);
        Assert.False(Directory.Exists(dir.File("given"))); // a folder named in $env:CIMAA_DB must exist, as -Path's must
        Assert.Equal(dir.File("given/c.db"), DefaultLocation.PrepareDatabasePath(Env)); // Connect-Cimaa without -Path creates it
        Assert.True(Directory.Exists(dir.File("given")));
    }
}

public class AgentConfigFileTests
{
    [Fact]
    public void Reads_the_database_section_of_a_zc_cimaa_agent_file()
    {
        var s = AgentConfigFile.Parse("""
            [agent]
            directory = /etc/cimaa/checks
            [database]
            class = zc.cimaa.dynamodb
            region: us-east-1
            prefix = prod
            aws_access_key_id = AKIDEXAMPLE
            aws_secret_access_key = wJalrXUtnFEMI
            endpoint_url = http://127.0.0.1:4567
            ; a comment
            [other]
            region = nope
            """, "/etc/cimaa/agent.cfg");
        Assert.Equal(StoreKind.DynamoDB, s.Kind);
        Assert.Equal("us-east-1", s.Region);
        Assert.Equal("prod.", s.TablePrefix);
        Assert.Equal("AKIDEXAMPLE", s.AccessKeyId);
        Assert.Equal("wJalrXUtnFEMI", s.SecretAccessKey);
        Assert.Equal(new Uri("http://127.0.0.1:4567"), s.EndpointUrl);
    }

    [Fact]
    public void Sqlite_class_resolves_the_path_relative_to_the_file()
    {
        var s = AgentConfigFile.Parse("[database]\nclass = cimaa.sqlite\npath = data/c.db\n", "/etc/cimaa/agent.cfg");
        Assert.Equal(StoreKind.Local, s.Kind);
        Assert.Equal(Path.GetFullPath("/etc/cimaa/data/c.db"), s.Path);
    }

    [Theory]
    [InlineData("[database]\nclass = zc.cimaa.postgresql\n", "class")]
    [InlineData("[agent]\nx = 1\n", "no [database]")]
    [InlineData("[database]\nclass = zc.cimaa.dynamodb\nregion = r\nendpoint_url = ::nope\n", "endpoint_url")]
    public void Unusable_files_are_rejected_with_the_reason(string text, string reason)
    {
        var e = Assert.Throws<CimaaException>(() => AgentConfigFile.Parse(text, "a.cfg"));
        Assert.Equal(ErrorIds.InvalidConfigFile, e.ErrorId);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Missing_file_is_a_read_error()
    {
        var e = Assert.Throws<CimaaException>(() => AgentConfigFile.Load("/nonexistent/agent.cfg"));
        Assert.Equal(ErrorIds.InvalidConfigFile, e.ErrorId);
        Assert.Equal(CimaaErrorCategory.ReadError, e.Category);
    }
}
