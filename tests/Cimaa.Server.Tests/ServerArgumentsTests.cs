using Cimaa.AccessKeys;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Server.Tests;

/// <summary>The command line: the module's store sources in the module's order, the signing region, grants and limits.</summary>
public sealed class ServerArgumentsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _env = new();

    public void Dispose() => _dir.Dispose();

    private ServerOptions Parse(params string[] args) => ServerArguments.Parse(args, name => _env.GetValueOrDefault(name));

    private string Ini(string body)
    {
        var path = _dir.File("agent.cfg");
        File.WriteAllText(path, body);
        return path;
    }

    [Fact]
    public void Without_options_the_default_SQLite_file_is_used_and_its_folder_created()
    {
        _env["XDG_DATA_HOME"] = _dir.File("data");
        var options = Parse();
        Assert.Equal(StoreKind.Local, options.Store.Kind);
        Assert.Equal(Path.Combine(_dir.File("data"), "cimaa", "cimaa.db"), options.Store.Path);
        Assert.True(Directory.Exists(Path.Combine(_dir.File("data"), "cimaa")));
        Assert.Equal(["http://127.0.0.1:8080"], options.Urls);
        Assert.Equal("us-west-2", options.Region);
        Assert.Equal(0, options.Anonymous.Count);
        Assert.Equal(10 * 1024 * 1024, options.MaxBodyBytes);
        Assert.Equal(100_000, options.MaxPoints);
    }

    [Fact]
    public void CIMAA_CONFIG_comes_before_CIMAA_DB_and_options_before_both()
    {
        _env["CIMAA_DB"] = _dir.File("env.db");
        Assert.Equal(_dir.File("env.db"), Parse().Store.Path);
        _env["CIMAA_CONFIG"] = Ini("[database]\nclass = zc.cimaa.dynamodb\nregion = eu-west-1\nprefix = ops\n");
        var fromConfig = Parse().Store;
        Assert.Equal((StoreKind.DynamoDB, "eu-west-1", "ops."), (fromConfig.Kind, fromConfig.Region, fromConfig.TablePrefix));
        Assert.Equal(Path.GetFullPath(_dir.File("x.db")), Parse("--db", _dir.File("x.db")).Store.Path);
    }

    [Fact]
    public void A_config_file_gives_the_store_and_a_DynamoDB_region_is_also_the_signing_region()
    {
        var ini = Ini("[database]\nclass = zc.cimaa.dynamodb\nregion = ap-south-1\n");
        var options = Parse("--config", ini);
        Assert.Equal((StoreKind.DynamoDB, "ap-south-1"), (options.Store.Kind, options.Region));
        Assert.Equal("eu-central-1", Parse("--config", ini, "--region", "eu-central-1").Region);
        var sqlite = Ini("[database]\nclass = cimaa.sqlite\npath = metrics.db\n");
        Assert.Equal(_dir.File("metrics.db"), Parse($"--config={sqlite}").Store.Path);
    }

    [Fact]
    public void DynamoDB_options_and_the_signing_region()
    {
        var local = Parse("--endpoint-url", "http://127.0.0.1:8000", "--table-prefix", "test");
        Assert.Equal((StoreKind.DynamoDB, "http://127.0.0.1:8000/", "test.", "us-west-2"),
            (local.Store.Kind, local.Store.EndpointUrl!.ToString(), local.Store.TablePrefix, local.Region));
        var aws = Parse("--region", "eu-west-1");
        Assert.Equal((StoreKind.DynamoDB, "eu-west-1", "cimaa.", "eu-west-1"), (aws.Store.Kind, aws.Store.Region, aws.Store.TablePrefix, aws.Region));
        var sqlite = Parse("--db", _dir.File("a.db"), "--region", "eu-north-1");
        Assert.Equal((StoreKind.Local, "eu-north-1"), (sqlite.Store.Kind, sqlite.Region));
    }

    [Fact]
    public void Grants_urls_limits_and_dashboard_metrics()
    {
        var options = Parse("--db", _dir.File("a.db"), "--anonymous", "web:rw, *:r", "--anonymous=ops:w", "--urls", "http://0.0.0.0:9000;http://[::1]:9001",
            "--max-body-bytes", "2048", "--max-points", "50", "--dashboard-metric", "cpu", "--dashboard-metric", "disk{host=a}");
        Assert.Equal(["*:r", "ops:w", "web:r", "web:w"], options.Anonymous.ToStrings());
        Assert.True(options.Anonymous.Allows("anything", AccessOp.Read));
        Assert.False(options.Anonymous.Allows("anything", AccessOp.Write));
        Assert.Equal(["http://0.0.0.0:9000", "http://[::1]:9001"], options.Urls);
        Assert.Equal((2048L, 50), (options.MaxBodyBytes, options.MaxPoints));
        Assert.Equal(["cpu", "disk{host=a}"], options.DashboardMetrics);
    }

    [Theory]
    [InlineData("Unknown option '--port'", "--port", "80")]
    [InlineData("--db needs a value", "--db")]
    [InlineData("not both", "--db", "a.db", "--config", "b.cfg")]
    [InlineData("cannot go with --db", "--db", "a.db", "--endpoint-url", "http://127.0.0.1:1")]
    [InlineData("is given more than once", "--db", "a.db", "--db", "b.db")]
    [InlineData("--anonymous: 'web:x' is not a permission", "--anonymous", "web:x")]
    [InlineData("--anonymous: 'bad!:r' is not a permission", "--anonymous", "bad!:r")]
    [InlineData("--max-points must be a whole number", "--max-points", "0")]
    [InlineData("--max-body-bytes must be a whole number", "--max-body-bytes", "ten")]
    [InlineData("not an absolute http(s) URL", "--endpoint-url", "localhost:8000")]
    [InlineData("table prefix", "--table-prefix", "bad prefix")]
    [InlineData("Cannot read the config file", "--config", "/nonexistent/agent.cfg")]
    [InlineData("--dashboard-metric: The tag 'host' in 'disk{host}' is not key=value", "--dashboard-metric", "disk{host}")]
    public void Bad_command_lines_say_what_to_change(string expected, params string[] args)
    {
        var e = Assert.Throws<ServerArgumentException>(() => Parse(args));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Help_is_recognised()
    {
        Assert.True(ServerArguments.WantsHelp(["--db", "x", "--help"]));
        Assert.False(ServerArguments.WantsHelp(["--db", "x"]));
        Assert.Contains("--anonymous", ServerArguments.Usage);
    }

    [Fact]
    public async Task The_backend_opens_a_client_on_a_store_and_refuses_a_Server_connection()
    {
        await ServerBackend.Open(new ConnectionSettings { Kind = StoreKind.Local, Path = _dir.File("backend.db") }).DisposeAsync();
        Assert.True(File.Exists(_dir.File("backend.db")));
        var server = new ConnectionSettings
        {
            Kind = StoreKind.Server, ServerUrl = new Uri("http://127.0.0.1:1/"), Region = "us-west-2", AccessKeyId = "AKIDX", SecretAccessKey = "secret",
        };
        var e = Assert.Throws<CimaaException>(() => ServerBackend.Open(server));
        Assert.Equal("NotSupportedByConnection", e.ErrorId);
    }
}
