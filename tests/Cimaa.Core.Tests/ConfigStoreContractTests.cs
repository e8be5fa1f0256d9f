using System.Collections;
using System.Collections.Specialized;
using Cimaa.Config;
using Cimaa.Storage;

namespace Cimaa.Core.Tests;

/// <summary>The configuration store (dynamodb-config-store semantics) and its time-based cache, on both stores.</summary>
public abstract class ConfigStoreContractTests<TBackend> : StoreContractTests<TBackend> where TBackend : IContractBackend, new()
{
    private ConfigService Config => Client.Config;

    private async Task<(List<ConfigOption> Found, List<CimaaException> Missing)> GetConfig(ConfigQuery query)
    {
        var missing = new List<CimaaException>();
        var found = await Config.GetAsync(query, missing.Add, Op).ToListAsync();
        return (found, missing);
    }

    private async Task<ConfigOption> GetOne(string store, string option, TimeSpan? maxAge = null)
    {
        var (found, missing) = await GetConfig(new ConfigQuery(store, [option], MaxAge: maxAge));
        Assert.Empty(missing);
        return Assert.Single(found);
    }

    private static Hashtable Values(params (string Key, object? Value)[] pairs)
    {
        var h = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in pairs) h[k] = v;
        return h;
    }

    private static string[] KeysOf(OrderedDictionary d) => d.Keys.Cast<string>().ToArray();

    [Fact]
    public async Task Config_values_round_trip_with_whole_numbers_as_Int64_and_others_as_decimal()
    {
        var nested = new Hashtable { ["depth"] = 2, ["list"] = new object?[] { "a", 1.5, true, null, new Hashtable { ["x"] = 1 } } };
        await Config.SetAsync("prod", "db", Values(
            ("host", "db.example.org"), ("port", 5432), ("ratio", 0.1), ("big", 12345678901234567890m), ("negative", -7L),
            ("enabled", true), ("off", false), ("nothing", null), ("empty", ""), ("tags", new[] { "x", "y" }),
            ("none", Array.Empty<object>()), ("nested", nested), ("blank", new Hashtable())), merge: false, Op);

        var o = await GetOne("prod", "db");
        Assert.Equal(("prod", "db"), (o.Store, o.Option));
        var v = o.Values;
        Assert.Equal(["big", "blank", "empty", "enabled", "host", "negative", "nested", "none", "nothing", "off", "port", "ratio", "tags"], KeysOf(v));
        Assert.Equal("db.example.org", v["host"]);
        Assert.Equal(5432L, Assert.IsType<long>(v["port"]));
        Assert.Equal(0.1m, Assert.IsType<decimal>(v["ratio"]));
        Assert.Equal(12345678901234567890m, Assert.IsType<decimal>(v["big"]));
        Assert.Equal(-7L, v["negative"]);
        Assert.Equal(true, v["enabled"]);
        Assert.Equal(false, v["off"]);
        Assert.True(v.Contains("nothing"));
        Assert.Null(v["nothing"]);
        Assert.Equal("", v["empty"]);
        Assert.Equal(new object?[] { "x", "y" }, Assert.IsType<object?[]>(v["tags"]));
        Assert.Empty(Assert.IsType<object?[]>(v["none"]));
        Assert.Empty(Assert.IsType<OrderedDictionary>(v["blank"]));
        var n = Assert.IsType<OrderedDictionary>(v["nested"]);
        Assert.Equal(["depth", "list"], KeysOf(n));
        Assert.Equal(2L, n["depth"]);
        var list = Assert.IsType<object?[]>(n["list"]);
        Assert.Equal(5, list.Length);
        Assert.Equal(("a", 1.5m, true), (list[0], list[1], list[2]));
        Assert.Null(list[3]);
        Assert.Equal(1L, Assert.IsType<OrderedDictionary>(list[4])["X"]);
    }

    [Fact]
    public async Task Config_values_are_case_insensitive_and_sorted()
    {
        await Config.SetAsync("prod", "web", new Dictionary<string, object> { ["Zone"] = "z", ["alpha"] = 1, ["Beta"] = 2 }, merge: false, Op);
        var v = (await GetOne("prod", "web")).Values;
        Assert.Equal(["alpha", "Beta", "Zone"], KeysOf(v));
        Assert.Equal("z", v["ZONE"]);
        Assert.Equal(2L, v["beta"]);
    }

    [Fact]
    public async Task Config_set_replaces_the_whole_option()
    {
        await Config.SetAsync("prod", "db", Values(("host", "a"), ("port", 1)), merge: false, Op);
        var result = await Config.SetAsync("prod", "db", Values(("host", "b")), merge: false, Op);
        Assert.Equal(["host"], KeysOf(result.Values));
        var v = (await GetOne("prod", "db")).Values;
        Assert.Equal(["host"], KeysOf(v));
        Assert.Equal("b", v["host"]);
    }

    [Fact]
    public async Task Config_merge_updates_only_the_given_keys()
    {
        await Config.SetAsync("prod", "db", Values(("host", "a"), ("port", 1), ("user", "u")), merge: false, Op);
        var merged = await Config.SetAsync("prod", "db", Values(("port", 2), ("pool", new[] { 1, 2 })), merge: true, Op);
        Assert.Equal(["host", "pool", "port", "user"], KeysOf(merged.Values));
        var v = (await GetOne("prod", "db")).Values;
        Assert.Equal(["host", "pool", "port", "user"], KeysOf(v));
        Assert.Equal(("a", 2L, "u"), (v["host"], v["port"], v["user"]));
        Assert.Equal(new object?[] { 1L, 2L }, v["pool"]);
    }

    [Fact]
    public async Task Config_merge_creates_a_missing_option_and_the_given_spelling_of_a_key_wins()
    {
        await Config.SetAsync("prod", "new", Values(("a", 1)), merge: true, Op);
        Assert.Equal(1L, (await GetOne("prod", "new")).Values["a"]);

        await Config.SetAsync("prod", "db", new Dictionary<string, object> { ["host"] = "old", ["port"] = 1 }, merge: false, Op);
        var merged = await Config.SetAsync("prod", "db", new Dictionary<string, object> { ["HOST"] = "new" }, merge: true, Op);
        Assert.Equal(["HOST", "port"], KeysOf(merged.Values));
        var v = (await GetOne("prod", "db")).Values;
        Assert.Equal(["HOST", "port"], KeysOf(v));
        Assert.Equal("new", v["host"]);
        Assert.Empty(Log.Warnings);
    }

    [Fact]
    public async Task Config_merge_with_no_keys_creates_an_empty_option()
    {
        var o = await Config.SetAsync("prod", "empty", new Hashtable(), merge: true, Op);
        Assert.Empty(o.Values);
        Assert.Empty((await GetOne("prod", "empty")).Values);
    }

    [Fact]
    public async Task Config_get_with_keys_returns_only_the_keys_that_exist()
    {
        await Config.SetAsync("prod", "db", Values(("host", "a"), ("port", 1), ("user", "u")), merge: false, Op);
        var (found, missing) = await GetConfig(new ConfigQuery("prod", ["db"], Keys: ["PORT", "host", "absent"]));
        Assert.Empty(missing);
        Assert.Equal(["host", "port"], KeysOf(Assert.Single(found).Values));
    }

    [Fact]
    public async Task Config_missing_option_is_ConfigOptionNotFound_and_the_others_still_come()
    {
        await Config.SetAsync("prod", "a", Values(("k", 1)), merge: false, Op);
        await Config.SetAsync("prod", "c", Values(("k", 3)), merge: false, Op);
        var (found, missing) = await GetConfig(new ConfigQuery("prod", ["c", "b", "a"]));
        Assert.Equal(["c", "a"], found.Select(o => o.Option));
        var e = Assert.Single(missing);
        Assert.Equal(ErrorIds.ConfigOptionNotFound, e.ErrorId);
        Assert.Equal(CimaaErrorCategory.ObjectNotFound, e.Category);
        Assert.Equal("b", e.Target);
        Assert.Contains("'b'", e.Message);
        Assert.Contains("'prod'", e.Message);
    }

    [Fact]
    public async Task Config_get_without_option_returns_every_option_of_the_store_sorted()
    {
        foreach (var name in new[] { "web", "db", "cache", "Auth" })
        {
            await Config.SetAsync("prod", name, Values(("name", name)), merge: false, Op);
        }
        await Config.SetAsync("staging", "db", Values(("name", "other")), merge: false, Op);
        var (found, missing) = await GetConfig(new ConfigQuery("prod"));
        Assert.Empty(missing);
        Assert.Equal(["Auth", "cache", "db", "web"], found.Select(o => o.Option));
        Assert.All(found, o => Assert.Equal("prod", o.Store));
        Assert.Equal("db", found[2].Values["name"]);
        Assert.Empty((await GetConfig(new ConfigQuery("nothing-here"))).Found);
    }

    [Theory]
    [InlineData("_store")]
    [InlineData("_option")]
    [InlineData("_STORE")]
    public async Task Config_key_named_like_a_table_key_is_InvalidConfigValue_and_nothing_is_written(string key)
    {
        await Config.SetAsync("prod", "db", Values(("host", "old")), merge: false, Op);
        Client.Requests.Reset();
        foreach (var merge in new[] { false, true })
        {
            var e = await Assert.ThrowsAsync<CimaaException>(() => Config.SetAsync("prod", "db", Values((key, "x"), ("host", "new")), merge, Op));
            Assert.Equal(ErrorIds.InvalidConfigValue, e.ErrorId);
            Assert.Equal(CimaaErrorCategory.InvalidArgument, e.Category);
            Assert.Equal(key, e.Target);
        }
        Assert.Equal(0, Client.Requests.Total);
        Assert.Equal("old", (await GetOne("prod", "db")).Values["host"]);
    }

    public static TheoryData<object> UnstorableValues => new()
    {
        new DateTime(2026, 1, 1),
        double.NaN,
        double.PositiveInfinity,
        new byte[] { 1, 2 },
        1e300,
        new object(),
        new object?[] { 1, new Uri("http://x") },
    };

    [Theory]
    [MemberData(nameof(UnstorableValues))]
    public async Task Config_value_that_cannot_be_stored_is_InvalidConfigValue_and_nothing_is_written(object value)
    {
        Client.Requests.Reset();
        var e = await Assert.ThrowsAsync<CimaaException>(() => Config.SetAsync("prod", "db", Values(("good", 1), ("bad", value)), merge: false, Op));
        Assert.Equal(ErrorIds.InvalidConfigValue, e.ErrorId);
        Assert.Contains("bad", e.Message);
        Assert.Equal(0, Client.Requests.Total);
        Assert.Empty((await GetConfig(new ConfigQuery("prod"))).Found);
    }

    [Fact]
    public async Task Config_keys_that_differ_only_in_case_or_are_empty_are_InvalidConfigValue()
    {
        var twice = new Dictionary<string, object> { ["host"] = 1, ["HOST"] = 2 };
        Assert.Equal(ErrorIds.InvalidConfigValue, (await Assert.ThrowsAsync<CimaaException>(() => Config.SetAsync("prod", "db", twice, false, Op))).ErrorId);
        Assert.Equal(ErrorIds.InvalidConfigValue, (await Assert.ThrowsAsync<CimaaException>(() => Config.SetAsync("prod", "db", Values(("", 1)), false, Op))).ErrorId);
        Assert.Equal(ErrorIds.InvalidConfigValue, (await Assert.ThrowsAsync<CimaaException>(() => Config.SetAsync("prod", "", Values(("a", 1)), false, Op))).ErrorId);
        var deep = new Hashtable();
        var current = deep;
        for (var i = 0; i < ConfigValues.MaxDepth + 2; i++) { var next = new Hashtable(); current["n"] = next; current = next; }
        Assert.Equal(ErrorIds.InvalidConfigValue, (await Assert.ThrowsAsync<CimaaException>(() => Config.SetAsync("prod", "db", deep, false, Op))).ErrorId);
        Assert.Empty((await GetConfig(new ConfigQuery("prod"))).Found);
    }

    [Fact]
    public async Task Config_remove_deletes_one_option_and_reports_a_missing_one()
    {
        await Config.SetAsync("prod", "a", Values(("k", 1)), merge: false, Op);
        await Config.SetAsync("prod", "b", Values(("k", 2)), merge: false, Op);
        await Config.RemoveAsync("prod", "a", Op);
        var e = await Assert.ThrowsAsync<CimaaException>(() => Config.RemoveAsync("prod", "a", Op));
        Assert.Equal((ErrorIds.ConfigOptionNotFound, "a"), (e.ErrorId, e.Target));
        Assert.Equal(["b"], (await GetConfig(new ConfigQuery("prod"))).Found.Select(o => o.Option));
    }

    [Fact]
    public async Task Config_MaxAge_loads_the_store_with_one_query_then_makes_no_request_until_it_expires()
    {
        await Config.SetAsync("prod", "db", Values(("host", "a")), merge: false, Op);
        await Config.SetAsync("prod", "web", Values(("port", 80)), merge: false, Op);
        var maxAge = TimeSpan.FromMinutes(5);
        await GetConfig(new ConfigQuery("prod", MaxAge: maxAge)); // the first call loads (and checks the table once)
        var reads = Client.Requests.Total;
        Assert.Equal(1, Client.Requests[QueryOperation]);

        Client.Requests.Reset();
        Clock.Advance(maxAge - TimeSpan.FromSeconds(1));
        var all = (await GetConfig(new ConfigQuery("prod", MaxAge: maxAge))).Found;
        var one = await GetOne("prod", "web", maxAge);
        var keys = (await GetConfig(new ConfigQuery("prod", ["db"], Keys: ["host"], MaxAge: maxAge))).Found;
        var (none, missing) = await GetConfig(new ConfigQuery("prod", ["absent"], MaxAge: maxAge));
        Assert.Equal(0, Client.Requests.Total);
        Assert.Equal(["db", "web"], all.Select(o => o.Option));
        Assert.Equal(80L, one.Values["port"]);
        Assert.Equal("a", Assert.Single(keys).Values["host"]);
        Assert.Empty(none);
        Assert.Equal(ErrorIds.ConfigOptionNotFound, Assert.Single(missing).ErrorId);

        Clock.Advance(TimeSpan.FromSeconds(1)); // now exactly MaxAge old: no longer younger than MaxAge
        await GetConfig(new ConfigQuery("prod", MaxAge: maxAge));
        Assert.Equal(1, Client.Requests[QueryOperation]);
        Assert.True(Client.Requests.Total <= reads);
    }

    [Fact]
    public async Task Config_without_MaxAge_every_call_reads()
    {
        await Config.SetAsync("prod", "db", Values(("host", "a")), merge: false, Op);
        await GetConfig(new ConfigQuery("prod", MaxAge: TimeSpan.FromHours(1)));
        Client.Requests.Reset();
        await GetConfig(new ConfigQuery("prod"));
        await GetOne("prod", "db");
        Assert.Equal(2, Client.Requests.Total);
    }

    [Fact]
    public async Task Config_set_and_remove_through_the_same_store_invalidate_its_cache()
    {
        var maxAge = TimeSpan.FromHours(1);
        await Config.SetAsync("prod", "db", Values(("host", "a")), merge: false, Op);
        await Config.SetAsync("other", "x", Values(("k", 1)), merge: false, Op);
        await GetConfig(new ConfigQuery("prod", MaxAge: maxAge));
        await GetConfig(new ConfigQuery("other", MaxAge: maxAge));

        await Config.SetAsync("prod", "db", Values(("host", "b")), merge: true, Op);
        Client.Requests.Reset();
        Assert.Equal("b", (await GetOne("prod", "db", maxAge)).Values["host"]);
        Assert.Equal(1, Client.Requests[QueryOperation]);

        await Config.RemoveAsync("prod", "db", Op);
        Client.Requests.Reset();
        var (found, missing) = await GetConfig(new ConfigQuery("prod", ["db"], MaxAge: maxAge));
        Assert.Empty(found);
        Assert.Single(missing);
        Assert.Equal(1, Client.Requests[QueryOperation]);

        Client.Requests.Reset();
        await GetConfig(new ConfigQuery("other", MaxAge: maxAge)); // another store's cache is untouched
        Assert.Equal(0, Client.Requests.Total);
    }

    [Fact]
    public async Task Config_cache_is_per_store_object_and_hands_out_copies()
    {
        var maxAge = TimeSpan.FromHours(1);
        await Config.SetAsync("prod", "db", Values(("host", "a"), ("list", new[] { 1 })), merge: false, Op);
        var first = await GetOne("prod", "db", maxAge);
        first.Values["host"] = "changed by the caller";
        ((object?[])first.Values["list"]!)[0] = 99L;
        var again = await GetOne("prod", "db", maxAge);
        Assert.Equal("a", again.Values["host"]);
        Assert.Equal(1L, ((object?[])again.Values["list"]!)[0]);

        await using var other = StoreFactory.Open(Settings);
        await other.Config.SetAsync("prod", "db", Values(("host", "z")), merge: false, Op);
        Assert.Equal("a", (await GetOne("prod", "db", maxAge)).Values["host"]); // this object's cache is still young
        Assert.Equal("z", (await GetOne("prod", "db")).Values["host"]);
        Clock.Advance(maxAge);
        Assert.Equal("z", (await GetOne("prod", "db", maxAge)).Values["host"]);
    }

    [Fact]
    public async Task Config_option_and_store_names_are_exact()
    {
        await Config.SetAsync("prod", "db", Values(("k", 1)), merge: false, Op);
        var (found, missing) = await GetConfig(new ConfigQuery("prod", ["DB"]));
        Assert.Empty(found);
        Assert.Single(missing);
        Assert.Empty((await GetConfig(new ConfigQuery("PROD"))).Found);
    }

    /// <summary>The operation name of the whole-store read: one Query on DynamoDB, one SELECT on SQLite.</summary>
    private string QueryOperation => Client.Kind == StoreKind.DynamoDB ? "Query" : "SelectConfigStore";
}

public sealed class SqliteConfigStoreContractTests : ConfigStoreContractTests<SqliteBackend>;

public sealed class DynamoConfigStoreContractTests : ConfigStoreContractTests<DynamoBackend>;
