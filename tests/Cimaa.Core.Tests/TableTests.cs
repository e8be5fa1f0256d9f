using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Cimaa.Storage;
using Cimaa.Storage.Sqlite;
using Cimaa.Testing;
using Microsoft.Data.Sqlite;

namespace Cimaa.Core.Tests;

public class SqliteTableTests
{
    [Fact]
    public async Task Initialize_creates_the_schema_once_then_reports_Exists()
    {
        using var dir = new TempDir();
        await using var store = StoreFactory.Open(TestStores.Sqlite(dir));
        var first = await store.Tables.InitializeAsync(new TableOptions(), OpContext.None).ToListAsync();
        var second = await store.Tables.InitializeAsync(new TableOptions(), OpContext.None).ToListAsync();
        Assert.Equal(["faults", "heartbeats", "squelches", "config", "datapoints", "datapoints_index", "credentials"], first.Select(t => t.Table));
        Assert.All(first, t => Assert.Equal("Created", t.Status));
        Assert.All(second, t => Assert.Equal("Exists", t.Status));
    }

    [Fact]
    public void New_file_is_private_and_in_WAL_mode()
    {
        using var dir = new TempDir();
        var path = dir.File("new.db");
        SqliteDatabase.CreateFile(path);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        using var conn = new SqliteConnection($"Data Source={path}");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)cmd.ExecuteScalar()!);
    }

    [Fact]
    public void Missing_folder_is_InvalidConnection_and_creates_nothing()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "missing", "c.db");
        var e = Assert.Throws<CimaaException>(() => SqliteDatabase.CreateFile(path));
        Assert.Equal(ErrorIds.InvalidConnection, e.ErrorId);
        Assert.Equal(CimaaErrorCategory.ObjectNotFound, e.Category);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }
}

public class DynamoTableTests
{
    [Fact]
    public async Task Initialize_creates_six_tables_with_the_updated_LSI_then_reports_Exists()
    {
        var settings = TestStores.Dynamo();
        await using var store = StoreFactory.Open(settings);
        var log = new RecordingLog();
        var first = await store.Tables.InitializeAsync(new TableOptions(), log.Context).ToListAsync();
        Assert.Equal([settings.FaultsTable, settings.SquelchesTable, settings.ConfigTable, settings.DataPointsTable, settings.DataPointsIndexTable,
            settings.CredentialsTable], first.Select(t => t.Table));
        Assert.Equal("access_key_id (HASH S)", first[5].KeySchema);
        Assert.Equal("key (HASH S), offset (RANGE N)", first[3].KeySchema);
        Assert.Equal("dm (HASH S), bt (RANGE S)", first[4].KeySchema);
        Assert.All(first, t => Assert.Equal("Created", t.Status));
        Assert.Equal("agent (HASH S), name (RANGE S)", first[0].KeySchema);
        Assert.Contains(log.Progresses, p => p.Completed);

        var faults = (await TestStores.Sdk(store).DescribeTableAsync(settings.FaultsTable)).Table;
        var lsi = Assert.Single(faults.LocalSecondaryIndexes);
        Assert.Equal("updated", lsi.IndexName);
        Assert.Equal(["agent", "updated"], lsi.KeySchema.Select(k => k.AttributeName));

        var second = await store.Tables.InitializeAsync(new TableOptions(), OpContext.None).ToListAsync();
        Assert.All(second, t => Assert.Equal("Exists", t.Status));
    }

    [Fact]
    public async Task Initialize_asks_for_TTL_on_expires_and_a_server_without_it_gives_one_warning()
    {
        var settings = TestStores.Dynamo();
        await using var store = StoreFactory.Open(settings);
        var log = new RecordingLog();
        var tables = await store.Tables.InitializeAsync(new TableOptions(), log.Context).ToListAsync();
        Assert.Equal(6, tables.Count);
        // dynalite answers UpdateTimeToLive with UnknownOperationException: one warning, no error.
        var warning = Assert.Single(log.Warnings);
        Assert.Contains("TTL", warning);
        Assert.Equal(1, store.Requests["UpdateTimeToLive"]);
        Assert.Equal(1, store.Requests["DescribeTimeToLive"]);
    }

    [Fact]
    public async Task The_TTL_warning_comes_once_when_the_tables_are_created_and_not_on_later_runs()
    {
        var settings = TestStores.Dynamo();
        await using (var store = StoreFactory.Open(settings))
        {
            var first = new RecordingLog();
            await store.Tables.InitializeAsync(new TableOptions(), first.Context).ToListAsync();
            var warning = Assert.Single(first.Warnings);
            Assert.Contains($"{settings.DataPointsTable}, {settings.DataPointsIndexTable}", warning);
        }
        // A later run, in this process or another, finds the tables and says it only with -Verbose.
        await using (var again = StoreFactory.Open(settings))
        {
            var second = new RecordingLog();
            Assert.All(await again.Tables.InitializeAsync(new TableOptions(), second.Context).ToListAsync(), t => Assert.Equal("Exists", t.Status));
            Assert.Empty(second.Warnings);
            Assert.Contains(second.Verbose, v => v.Contains("TTL", StringComparison.Ordinal) && v.Contains(settings.DataPointsTable, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Existing_table_with_other_keys_is_MisconfiguredSchema()
    {
        var settings = TestStores.Dynamo();
        await using var store = StoreFactory.Open(settings);
        await TestStores.Sdk(store).CreateTableAsync(new CreateTableRequest
        {
            TableName = settings.SquelchesTable,
            KeySchema = [new KeySchemaElement("pattern", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pattern", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        var e = await Assert.ThrowsAsync<CimaaException>(async () =>
            await store.Tables.InitializeAsync(new TableOptions(), OpContext.None).ToListAsync());
        Assert.Equal(ErrorIds.MisconfiguredSchema, e.ErrorId);
        Assert.Contains(settings.SquelchesTable, e.Message);
        Assert.Contains("pattern (HASH S)", e.Message);
        Assert.Contains("regex (HASH S)", e.Message);
    }

    [Fact]
    public async Task Provisioned_billing_sets_the_capacity()
    {
        var settings = TestStores.Dynamo();
        await using var store = StoreFactory.Open(settings);
        await store.Tables.InitializeAsync(new TableOptions(Provisioned: true, ReadCapacity: 7, WriteCapacity: 3), OpContext.None).ToListAsync();
        var d = (await TestStores.Sdk(store).DescribeTableAsync(settings.SquelchesTable)).Table;
        Assert.Equal((7L, 3L), (d.ProvisionedThroughput.ReadCapacityUnits!.Value, d.ProvisionedThroughput.WriteCapacityUnits!.Value));
    }
}
