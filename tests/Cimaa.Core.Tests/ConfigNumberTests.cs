using System.Collections;
using System.Collections.Specialized;
using Amazon.DynamoDBv2.Model;
using Cimaa.Config;
using Cimaa.Testing;
using Microsoft.Data.Sqlite;

namespace Cimaa.Core.Tests;

/// <summary>
/// One form for config numbers on both stores, whoever wrote them: a whole number is Int64 (so it prints and converts to JSON as
/// <c>8</c>, never <c>8.0</c>), any other number a decimal without trailing zeros.
/// </summary>
public sealed class ConfigNumberTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private CimaaClient _sqlite = null!;
    private CimaaClient _dynamo = null!;

    public async Task InitializeAsync()
    {
        _sqlite = await TestStores.OpenInitialized(TestStores.Sqlite(_dir));
        _dynamo = await TestStores.OpenInitialized(TestStores.Dynamo());
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _dynamo.DisposeAsync();
    }

    public void Dispose() => _dir.Dispose();

    private CimaaClient Store(string kind) => kind == "Local" ? _sqlite : _dynamo;

    public static TheoryData<string> Kinds => new() { "Local", "DynamoDB" };

    private static void AssertNumbers(OrderedDictionary v)
    {
        Assert.Equal(8L, Assert.IsType<long>(v["int"]));
        Assert.Equal(8L, Assert.IsType<long>(v["eight_point_zero"]));
        Assert.Equal(8L, Assert.IsType<long>(v["eight_scaled"]));
        Assert.Equal(1000L, Assert.IsType<long>(v["exponent"]));
        Assert.Equal(-7L, Assert.IsType<long>(v["negative"]));
        Assert.Equal("1.5", Assert.IsType<decimal>(v["ratio"]).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("12345678901234567890", Assert.IsType<decimal>(v["beyond_int64"]).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([2L, 0.5m], Assert.IsType<object?[]>(v["list"]));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Numbers_given_to_Set_come_back_whole_as_Int64_and_otherwise_as_decimal_without_trailing_zeros(string kind)
    {
        var store = Store(kind);
        var values = new Hashtable
        {
            ["int"] = 8, ["eight_point_zero"] = 8.0, ["eight_scaled"] = 8.00m, ["exponent"] = 1e3, ["negative"] = -7L,
            ["ratio"] = 1.50m, ["beyond_int64"] = 12345678901234567890m, ["list"] = new object[] { 2.0m, 0.50m },
        };
        var written = await store.Config.SetAsync("s", "o", values, merge: false, OpContext.None);
        AssertNumbers(written.Values);
        var read = await store.Config.GetAsync(new ConfigQuery("s", ["o"]), _ => { }, OpContext.None).ToListAsync();
        AssertNumbers(Assert.Single(read).Values);
    }

    [Fact]
    public async Task Our_own_JSON_in_the_SQLite_store_writes_whole_numbers_without_a_fraction()
    {
        var values = new Hashtable { ["a"] = 8.0, ["b"] = 8.00m, ["c"] = 1.50m };
        await _sqlite.Config.SetAsync("s", "o", values, merge: false, OpContext.None);
        Assert.Equal("""{"a":8,"b":8,"c":1.5}""", RawSqliteData());
    }

    [Fact]
    public async Task Numbers_another_tool_wrote_with_a_fraction_of_zero_read_as_Int64_on_SQLite()
    {
        await using (var conn = new SqliteConnection($"Data Source={_sqlite.Settings.Path}"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "INSERT INTO config (store, option, data) VALUES ('s', 'o', $d)";
            cmd.Parameters.AddWithValue("$d", """
                {"int":8,"eight_point_zero":8.0,"eight_scaled":8.00,"exponent":1E3,"negative":-7.000,"ratio":1.50,
                 "beyond_int64":12345678901234567890.0,"list":[2.0,0.50]}
                """);
            await cmd.ExecuteNonQueryAsync();
        }
        var read = await _sqlite.Config.GetAsync(new ConfigQuery("s", ["o"]), _ => { }, OpContext.None).ToListAsync();
        AssertNumbers(Assert.Single(read).Values);
    }

    [Fact]
    public async Task Numbers_another_tool_wrote_with_a_fraction_of_zero_read_as_Int64_on_DynamoDB()
    {
        var client = TestStores.Sdk(_dynamo);
        static AttributeValue N(string n) => new() { N = n };
        await client.PutItemAsync(_dynamo.Settings.ConfigTable, new Dictionary<string, AttributeValue>
        {
            ["_store"] = new() { S = "s" }, ["_option"] = new() { S = "o" },
            ["int"] = N("8"), ["eight_point_zero"] = N("8.0"), ["eight_scaled"] = N("8.00"), ["exponent"] = N("1E3"),
            ["negative"] = N("-7.000"), ["ratio"] = N("1.50"), ["beyond_int64"] = N("12345678901234567890.0"),
            ["list"] = new() { L = [N("2.0"), N("0.50")] },
        });
        var read = await _dynamo.Config.GetAsync(new ConfigQuery("s", ["o"]), _ => { }, OpContext.None).ToListAsync();
        AssertNumbers(Assert.Single(read).Values);
    }

    private string RawSqliteData()
    {
        using var conn = new SqliteConnection($"Data Source={_sqlite.Settings.Path}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT data FROM config WHERE store = 's' AND option = 'o'";
        return (string)cmd.ExecuteScalar()!;
    }
}
