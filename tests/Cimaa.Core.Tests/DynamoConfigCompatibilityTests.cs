using System.Collections;
using System.Collections.Specialized;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cimaa.Config;
using Cimaa.Storage;
using Cimaa.Storage.DynamoDb;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>
/// The config table as dynamodb-config-store (Python) creates and writes it, by plain SDK calls, read back through the store;
/// custom key names; and the table checks (MisconfiguredSchema, TableNotReady, one DescribeTable per store object).
/// </summary>
public sealed class DynamoConfigCompatibilityTests : IDisposable
{
    private readonly AmazonDynamoDBClient _raw = new(new BasicAWSCredentials("AKIDTEST", "test-secret"),
        new AmazonDynamoDBConfig { ServiceURL = DynaliteServer.Shared.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private readonly RecordingLog _log = new();

    public void Dispose() => _raw.Dispose();

    private static ConnectionSettings Settings(string table, string storeKey = "_store", string optionKey = "_option", object? http = null) =>
        TestStores.Dynamo(httpFactory: http, reads: 1, writes: 1) with
        {
            TablePrefix = "unused" + Guid.NewGuid().ToString("N")[..8] + ".",
            ConfigTableName = table,
            ConfigStoreKey = storeKey,
            ConfigOptionKey = optionKey,
        };

    private static string NewTable() => "pyconfig_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>As dynamodb-config-store's create_table: hash S, range S, provisioned 1/1.</summary>
    private async Task CreateTable(string name, string hash, string? range, ScalarAttributeType? hashType = null)
    {
        var keys = new List<KeySchemaElement> { new(hash, KeyType.HASH) };
        var attrs = new List<AttributeDefinition> { new(hash, hashType ?? ScalarAttributeType.S) };
        if (range is not null)
        {
            keys.Add(new KeySchemaElement(range, KeyType.RANGE));
            attrs.Add(new AttributeDefinition(range, ScalarAttributeType.S));
        }
        await _raw.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = keys,
            AttributeDefinitions = attrs,
            ProvisionedThroughput = new ProvisionedThroughput(1, 1),
        });
        // dynalite reports CREATING for a moment even with --createTableMs 0: wait as Initialize-CimaaTable does, one
        // DescribeTable per poll interval (10 ms in tests) on the connection's clock, for at most a minute.
        await using var client = StoreFactory.Open(Settings(name));
        await ((DynamoTableSetup)client.Stores.Tables).WaitActiveAsync([name], TimeSpan.FromMinutes(1), OpContext.None);
    }

    private static AttributeValue S(string s) => new() { S = s };
    private static AttributeValue N(string n) => new() { N = n };

    [Fact]
    public async Task Items_written_by_plain_SDK_calls_read_back_exactly()
    {
        var table = NewTable();
        await CreateTable(table, "_store", "_option");
        await _raw.PutItemAsync(table, new Dictionary<string, AttributeValue>
        {
            ["_store"] = S("prod"),
            ["_option"] = S("db"),
            ["host"] = S("db.example.org"),
            ["port"] = N("5432"),
            ["ratio"] = N("0.25"),
            ["huge"] = N("1E+40"),
            ["enabled"] = new() { BOOL = true },
            ["disabled"] = new() { BOOL = false },
            ["nothing"] = new() { NULL = true },
            ["replicas"] = new() { L = [S("r1"), N("2"), new() { BOOL = false }, new() { M = new() { ["zone"] = S("b") } }] },
            ["limits"] = new() { M = new() { ["max"] = N("100"), ["Min"] = N("-1.5"), ["inner"] = new() { L = [] } } },
            ["names"] = new() { SS = ["b", "a"] },
            ["numbers"] = new() { NS = ["3", "1.5"] },
            ["blob"] = new() { B = new MemoryStream([1, 2, 3]) },
        });
        await _raw.PutItemAsync(table, new Dictionary<string, AttributeValue>
        {
            ["_store"] = S("prod"), ["_option"] = S("cache"), ["ttl"] = N("60"),
        });
        await _raw.PutItemAsync(table, new Dictionary<string, AttributeValue>
        {
            ["_store"] = S("staging"), ["_option"] = S("db"), ["host"] = S("elsewhere"),
        });

        await using var store = StoreFactory.Open(Settings(table));
        var missing = new List<CimaaException>();
        var options = await store.Config.GetAsync(new ConfigQuery("prod"), missing.Add, _log.Context).ToListAsync();
        Assert.Empty(missing);
        Assert.Equal(["cache", "db"], options.Select(o => o.Option));
        Assert.Equal(["ttl"], options[0].Values.Keys.Cast<string>());
        Assert.Equal(60L, options[0].Values["ttl"]);

        var v = options[1].Values;
        Assert.Equal(["blob", "disabled", "enabled", "host", "huge", "limits", "names", "nothing", "numbers", "port", "ratio", "replicas"],
            v.Keys.Cast<string>());
        Assert.Equal("db.example.org", v["host"]);
        Assert.Equal(5432L, Assert.IsType<long>(v["port"]));
        Assert.Equal(0.25m, Assert.IsType<decimal>(v["ratio"]));
        Assert.Equal(1e40, Assert.IsType<double>(v["huge"]));
        Assert.Equal((true, false), (v["enabled"], v["disabled"]));
        Assert.True(v.Contains("nothing"));
        Assert.Null(v["nothing"]);
        var replicas = Assert.IsType<object?[]>(v["replicas"]);
        Assert.Equal(("r1", 2L, false), (replicas[0], replicas[1], replicas[2]));
        Assert.Equal("b", Assert.IsType<OrderedDictionary>(replicas[3])["ZONE"]);
        var limits = Assert.IsType<OrderedDictionary>(v["limits"]);
        Assert.Equal(["inner", "max", "Min"], limits.Keys.Cast<string>());
        Assert.Equal((100L, -1.5m), (limits["max"], limits["min"]));
        Assert.Empty(Assert.IsType<object?[]>(limits["inner"]));
        Assert.Equal(["a", "b"], Assert.IsType<object?[]>(v["names"]).Cast<string>().Order());
        Assert.Equal([1.5m, 3m], Assert.IsType<object?[]>(v["numbers"]).Select(Convert.ToDecimal).Order());
        Assert.Contains(3L, Assert.IsType<object?[]>(v["numbers"]));
        Assert.Equal(new byte[] { 1, 2, 3 }, v["blob"]);
        Assert.Empty(_log.Warnings);
    }

    [Fact]
    public async Task Items_written_through_the_store_have_plain_DynamoDB_types()
    {
        var table = NewTable();
        await CreateTable(table, "_store", "_option");
        await using var store = StoreFactory.Open(Settings(table));
        await store.Config.SetAsync("prod", "db", new Hashtable
        {
            ["host"] = "h", ["port"] = 5432, ["ratio"] = 0.5, ["on"] = true, ["none"] = null,
            ["list"] = new object[] { 1, "a" }, ["map"] = new Hashtable { ["k"] = "v" }, ["empty"] = Array.Empty<object>(),
        }, merge: false, _log.Context);

        var item = (await _raw.GetItemAsync(table, new Dictionary<string, AttributeValue> { ["_store"] = S("prod"), ["_option"] = S("db") })).Item;
        Assert.Equal(["_option", "_store", "empty", "host", "list", "map", "none", "on", "port", "ratio"], item.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("h", item["host"].S);
        Assert.Equal("5432", item["port"].N);
        Assert.Equal("0.5", item["ratio"].N);
        Assert.True(item["on"].BOOL);
        Assert.True(item["none"].NULL);
        Assert.Equal(["1", "a"], item["list"].L.Select(a => a.N ?? a.S));
        Assert.Empty(item["empty"].L);
        Assert.Equal("v", item["map"].M["k"].S);
    }

    [Fact]
    public async Task A_config_table_with_custom_key_names_works()
    {
        var table = NewTable();
        await CreateTable(table, "store", "option");
        await _raw.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["store"] = S("prod"), ["option"] = S("py"), ["x"] = N("1") });
        await using var store = StoreFactory.Open(Settings(table, "store", "option"));
        var config = store.Config;
        await config.SetAsync("prod", "db", new Hashtable { ["host"] = "h" }, merge: false, _log.Context);
        await config.SetAsync("prod", "db", new Hashtable { ["port"] = 1 }, merge: true, _log.Context);

        var item = (await _raw.GetItemAsync(table, new Dictionary<string, AttributeValue> { ["store"] = S("prod"), ["option"] = S("db") })).Item;
        Assert.Equal(["host", "option", "port", "store"], item.Keys.Order(StringComparer.Ordinal));
        var options = await config.GetAsync(new ConfigQuery("prod"), _ => { }, _log.Context).ToListAsync();
        Assert.Equal(["db", "py"], options.Select(o => o.Option));
        Assert.Equal(["host", "port"], options[0].Values.Keys.Cast<string>());
        Assert.Equal(1L, options[1].Values["x"]);

        foreach (var reserved in new[] { "store", "Option", "_store", "_option" })
        {
            var e = await Assert.ThrowsAsync<CimaaException>(() => config.SetAsync("prod", "db", new Hashtable { [reserved] = 1 }, merge: true, _log.Context));
            Assert.Equal(ErrorIds.InvalidConfigValue, e.ErrorId);
        }
        await config.RemoveAsync("prod", "db", _log.Context);
        Assert.Equal(1, store.Requests["DescribeTable"]);
    }

    [Fact]
    public async Task The_default_key_names_on_a_custom_table_are_MisconfiguredSchema()
    {
        var table = NewTable();
        await CreateTable(table, "store", "option");
        await using var store = StoreFactory.Open(Settings(table));
        var e = await Assert.ThrowsAsync<CimaaException>(() =>
            store.Config.GetAsync(new ConfigQuery("prod"), _ => { }, _log.Context).ToListAsync());
        Assert.Equal(ErrorIds.MisconfiguredSchema, e.ErrorId);
        Assert.Contains("store (HASH S), option (RANGE S)", e.Message);
        Assert.Contains("_store (HASH S), _option (RANGE S)", e.Message);
    }

    [Fact]
    public async Task A_config_table_with_wrong_keys_is_MisconfiguredSchema_for_every_operation_and_nothing_is_written()
    {
        var table = NewTable();
        await CreateTable(table, "_store", null, ScalarAttributeType.S);
        await using var store = StoreFactory.Open(Settings(table));
        var config = store.Config;
        var calls = new Func<Task>[]
        {
            () => config.GetAsync(new ConfigQuery("prod"), _ => { }, _log.Context).ToListAsync(),
            () => config.GetAsync(new ConfigQuery("prod", ["db"]), _ => { }, _log.Context).ToListAsync(),
            () => config.GetAsync(new ConfigQuery("prod", MaxAge: TimeSpan.FromMinutes(5)), _ => { }, _log.Context).ToListAsync(),
            () => config.SetAsync("prod", "db", new Hashtable { ["a"] = 1 }, merge: false, _log.Context),
            () => config.SetAsync("prod", "db", new Hashtable { ["a"] = 1 }, merge: true, _log.Context),
            () => config.RemoveAsync("prod", "db", _log.Context),
        };
        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<CimaaException>(call);
            Assert.Equal(ErrorIds.MisconfiguredSchema, e.ErrorId);
            Assert.Equal(CimaaErrorCategory.MetadataError, e.Category);
            Assert.Equal(table, e.Target);
            Assert.Contains(table, e.Message);
            Assert.Contains("expected [_store (HASH S), _option (RANGE S)]", e.Message);
        }
        Assert.Equal(0, store.Requests["PutItem"] + store.Requests["UpdateItem"] + store.Requests["DeleteItem"] + store.Requests["Query"]);
        Assert.Empty((await _raw.ScanAsync(new ScanRequest(table))).Items);
    }

    [Fact]
    public async Task A_number_hash_key_is_MisconfiguredSchema()
    {
        var table = NewTable();
        await CreateTable(table, "_store", "_option", ScalarAttributeType.N);
        await using var store = StoreFactory.Open(Settings(table));
        var e = await Assert.ThrowsAsync<CimaaException>(() => store.Config.RemoveAsync("1", "db", _log.Context));
        Assert.Equal(ErrorIds.MisconfiguredSchema, e.ErrorId);
        Assert.Contains("_store (HASH N)", e.Message);
    }

    [Fact]
    public async Task A_missing_config_table_is_TableNotFound()
    {
        await using var store = StoreFactory.Open(Settings(NewTable()));
        var e = await Assert.ThrowsAsync<CimaaException>(() => store.Config.GetAsync(new ConfigQuery("prod"), _ => { }, _log.Context).ToListAsync());
        Assert.Equal(ErrorIds.TableNotFound, e.ErrorId);
    }

    [Fact]
    public async Task A_table_that_is_not_ACTIVE_is_TableNotReady_and_is_checked_again_next_time()
    {
        var table = NewTable();
        await CreateTable(table, "_store", "_option");
        var http = new TableStatusRewriter();
        await using var store = StoreFactory.Open(Settings(table, http: http));
        var config = store.Config;
        var e = await Assert.ThrowsAsync<CimaaException>(() => config.SetAsync("prod", "db", new Hashtable { ["a"] = 1 }, merge: false, _log.Context));
        Assert.Equal(ErrorIds.TableNotReady, e.ErrorId);
        Assert.Equal(CimaaErrorCategory.ResourceUnavailable, e.Category);
        Assert.Contains(table, e.Message);
        Assert.Contains("CREATING", e.Message);
        Assert.Contains("expected ACTIVE", e.Message);
        Assert.Empty((await _raw.ScanAsync(new ScanRequest(table))).Items);

        http.Status = null;
        await config.SetAsync("prod", "db", new Hashtable { ["a"] = 1 }, merge: false, _log.Context);
        await config.GetAsync(new ConfigQuery("prod", ["db"]), _ => { }, _log.Context).ToListAsync();
        Assert.Equal(2, store.Requests["DescribeTable"]);
    }

    [Fact]
    public async Task The_table_is_described_once_per_store_object()
    {
        var table = NewTable();
        await CreateTable(table, "_store", "_option");
        await using var store = StoreFactory.Open(Settings(table));
        var config = store.Config;
        await config.SetAsync("prod", "db", new Hashtable { ["a"] = 1 }, merge: false, _log.Context);
        await config.SetAsync("prod", "db", new Hashtable { ["b"] = 1 }, merge: true, _log.Context);
        await config.GetAsync(new ConfigQuery("prod"), _ => { }, _log.Context).ToListAsync();
        await config.GetAsync(new ConfigQuery("prod", ["db"]), _ => { }, _log.Context).ToListAsync();
        await config.RemoveAsync("prod", "db", _log.Context);
        Assert.Equal(1, store.Requests["DescribeTable"]);

        await using var second = StoreFactory.Open(Settings(table));
        await second.Config.GetAsync(new ConfigQuery("prod"), _ => { }, _log.Context).ToListAsync();
        Assert.Equal(1, second.Requests["DescribeTable"]);
    }

    [Fact]
    public async Task Keys_that_differ_only_in_case_in_a_foreign_item_keep_the_first_and_warn()
    {
        var table = NewTable();
        await CreateTable(table, "_store", "_option");
        await _raw.PutItemAsync(table, new Dictionary<string, AttributeValue>
        {
            ["_store"] = S("prod"), ["_option"] = S("db"), ["host"] = S("lower"), ["Host"] = S("upper"),
        });
        await using var store = StoreFactory.Open(Settings(table));
        var o = Assert.Single(await store.Config.GetAsync(new ConfigQuery("prod", ["db"]), _ => { }, _log.Context).ToListAsync());
        Assert.Equal(["Host"], o.Values.Keys.Cast<string>());
        Assert.Equal("upper", o.Values["host"]);
        Assert.Contains(_log.Warnings, w => w.Contains("'host'") && w.Contains("prod/db"));
    }

    /// <summary>Answers DescribeTable with another TableStatus (and drops the CRC header the edit invalidates).</summary>
    private sealed class TableStatusRewriter : HttpClientFactory
    {
        public string? Status { get; set; } = "CREATING";

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this), disposeHandler: true);
        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

        private sealed class Handler(TableStatusRewriter owner) : DelegatingHandler(new SocketsHttpHandler())
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
            {
                var target = request.Headers.TryGetValues("X-Amz-Target", out var t) ? t.First() : "";
                var response = await base.SendAsync(request, ct);
                if (owner.Status is not { } status || !target.EndsWith(".DescribeTable", StringComparison.Ordinal)) return response;
                var body = (await response.Content.ReadAsStringAsync(ct)).Replace("\"TableStatus\":\"ACTIVE\"", $"\"TableStatus\":\"{status}\"");
                var rewritten = new HttpResponseMessage(response.StatusCode)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.0"),
                };
                foreach (var h in response.Headers.Where(h => !h.Key.Equals("x-amz-crc32", StringComparison.OrdinalIgnoreCase)))
                {
                    rewritten.Headers.TryAddWithoutValidation(h.Key, h.Value);
                }
                return rewritten;
            }
        }
    }
}
