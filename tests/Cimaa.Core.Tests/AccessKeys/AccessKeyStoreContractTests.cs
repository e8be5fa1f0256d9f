using Amazon.DynamoDBv2.Model;
using Cimaa.AccessKeys;
using Cimaa.Storage;

namespace Cimaa.Core.Tests.AccessKeys;

/// <summary>Access keys (IAccessKeyStore through AccessKeyService), run unchanged against SQLite and against dynalite.</summary>
public abstract class AccessKeyStoreContractTests<TBackend> : StoreContractTests<TBackend> where TBackend : IContractBackend, new()
{
    private IAccessKeyStore Keys => Client.Stores.AccessKeys;

    private AccessKeyService Service => Client.AccessKeys;

    private Task<NewAccessKey> Create(params string[] permissions) => Create(permissions, null);

    private Task<NewAccessKey> Create(string[] permissions, string? description) =>
        Service.CreateAsync(AccessKeyService.PrepareNew(permissions, description), Op);

    private Task<List<AccessKey>> All() => Service.GetAsync(null, null, Op).ToListAsync();

    [Fact]
    public async Task A_new_key_is_active_with_normalized_permissions_and_its_secret_round_trips_in_the_store()
    {
        var created = await Create(["web:RW", "Web:r", "web:r", "*:w"], "collector");
        Assert.True(AccessKeyGenerator.IsValidId(created.AccessKeyId));
        Assert.Equal(AccessKeyGenerator.SecretLength, created.SecretAccessKey.Length);
        Assert.Equal(["*:w", "Web:r", "web:r", "web:w"], created.Permissions);
        Assert.Equal((Clock.GetUtcNow(), "collector"), (created.Created, created.Description));

        var stored = await Keys.GetAccessKeyAsync(created.AccessKeyId, Op);
        Assert.NotNull(stored);
        Assert.Equal(created.SecretAccessKey, stored.SecretAccessKey);
        Assert.Equal(("ACTIVE", Epoch.Seconds(Clock.GetUtcNow())), (stored.State, stored.Created));

        var listed = Assert.Single(await All());
        Assert.Equal((created.AccessKeyId, AccessKeyState.Active, "collector"), (listed.AccessKeyId, listed.State, listed.Description));
        Assert.Equal(created.Permissions, listed.Permissions);
        Assert.Equal(Clock.GetUtcNow(), listed.Created);
    }

    [Fact]
    public async Task What_Get_emits_carries_no_secret_in_any_property_or_text()
    {
        var created = await Create(["web:r"], "d");
        var listed = Assert.Single(await All());
        Assert.DoesNotContain(typeof(AccessKey).GetProperties(), p => p.Name.Contains("Secret", StringComparison.OrdinalIgnoreCase));
        var texts = typeof(AccessKey).GetProperties().Select(p => p.GetValue(listed) switch
        {
            string[] a => string.Join(",", a),
            var v => v?.ToString() ?? "",
        }).Append(listed.ToString()).Append(created.ToString()).Append((await Keys.GetAccessKeyAsync(created.AccessKeyId, Op))!.ToString());
        Assert.All(texts, t => Assert.DoesNotContain(created.SecretAccessKey, t));
        Assert.All(Log.Verbose.Concat(Log.Debugs).Concat(Log.Warnings), t => Assert.DoesNotContain(created.SecretAccessKey, t));
        Assert.NotEmpty(Log.Verbose);
    }

    [Fact]
    public async Task Keys_are_listed_sorted_and_found_by_exact_id_or_case_sensitive_wildcard()
    {
        var a = await Create("a:r");
        var b = await Create("b:r");
        var sorted = new[] { a.AccessKeyId, b.AccessKeyId }.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(sorted, (await All()).Select(k => k.AccessKeyId));
        Assert.Equal([a.AccessKeyId], (await Service.GetAsync([a.AccessKeyId], null, Op).ToListAsync()).Select(k => k.AccessKeyId));
        Assert.Equal(sorted, (await Service.GetAsync(["*"], null, Op).ToListAsync()).Select(k => k.AccessKeyId));
        var byPrefix = await Service.GetAsync([b.AccessKeyId[..5] + "*"], null, Op).ToListAsync();
        Assert.Contains(b.AccessKeyId, byPrefix.Select(k => k.AccessKeyId));
        Assert.All(byPrefix, k => Assert.StartsWith(b.AccessKeyId[..5], k.AccessKeyId, StringComparison.Ordinal));
        // Ids are upper case: a lower-case wildcard or id finds nothing, and an exact id that matches nothing is reported.
        var missing = new List<CimaaException>();
        Assert.Empty(await Service.GetAsync([a.AccessKeyId.ToLowerInvariant(), a.AccessKeyId.ToLowerInvariant() + "*"], missing.Add, Op).ToListAsync());
        var e = Assert.Single(missing);
        Assert.Equal((AccessKeyErrorIds.AccessKeyNotFound, CimaaErrorCategory.ObjectNotFound, (object?)a.AccessKeyId.ToLowerInvariant()),
            (e.ErrorId, e.Category, e.Target));
        missing.Clear();
        // A wildcard that matches nothing is not reported; '-' is outside the id alphabet, so this one never matches a new key.
        Assert.Single(await Service.GetAsync(["NOPE", a.AccessKeyId, "X-*"], missing.Add, Op).ToListAsync());
        Assert.Equal(["NOPE"], missing.Select(m => m.Target));
    }

    [Fact]
    public async Task Set_replaces_then_adds_then_removes_permissions()
    {
        var key = await Create("a:r");
        var set = await Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(Permission: ["b:rw", "c:w"])), Op);
        Assert.Equal(["b:r", "b:w", "c:w"], set.Permissions);
        set = await Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(Add: ["d:R", "b:r"], Remove: ["b:rw"])), Op);
        Assert.Equal(["c:w", "d:r"], set.Permissions);
        set = await Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(Permission: ["e:r"], Add: ["f:w"], Remove: ["e:r"])), Op);
        Assert.Equal(["f:w"], set.Permissions);
        Assert.Equal(set.Permissions, Assert.Single(await All()).Permissions);
        Assert.Equal(key.SecretAccessKey, (await Keys.GetAccessKeyAsync(key.AccessKeyId, Op))!.SecretAccessKey);
    }

    [Fact]
    public async Task A_key_may_have_no_permission_and_then_grants_nothing()
    {
        var key = await Create("a:rw");
        var set = await Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(Permission: [])), Op);
        Assert.Empty(set.Permissions);
        Assert.Empty(Assert.Single(await All()).Permissions);
        var record = await Service.LookupAsync(key.AccessKeyId, Op);
        Assert.Equal(0, record!.Permissions.Count);
        Assert.False(record.Permissions.Allows("a", AccessOp.Read));
        await AssertNoPermissionsStoredAsync(key.AccessKeyId);
    }

    /// <summary>How the store keeps a key without permissions: SQLite an empty JSON array; DynamoDB no attribute, as a string set cannot be empty.</summary>
    private async Task AssertNoPermissionsStoredAsync(string accessKeyId)
    {
        if (Client.Kind == StoreKind.Local)
        {
            await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Settings.Path};Pooling=False");
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT permissions FROM credentials WHERE access_key_id = $id";
            cmd.Parameters.AddWithValue("$id", accessKeyId);
            Assert.Equal("[]", (string)(await cmd.ExecuteScalarAsync())!);
            return;
        }
        var item = (await TestStores.Sdk(Client).GetItemAsync(new GetItemRequest
        {
            TableName = Settings.CredentialsTable,
            Key = new() { ["access_key_id"] = new AttributeValue { S = accessKeyId } },
            ConsistentRead = true,
        })).Item;
        Assert.True(item.ContainsKey("secret_access_key"));
        Assert.False(item.ContainsKey("permissions"));
    }

    [Fact]
    public async Task Disable_and_enable_change_the_state_that_the_lookup_reports()
    {
        var key = await Create("web:r");
        Assert.True((await Service.LookupAsync(key.AccessKeyId, Op))!.IsActive);
        var off = await Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(State: AccessKeyState.Inactive)), Op);
        Assert.Equal(AccessKeyState.Inactive, off.State);
        Assert.Equal("INACTIVE", (await Keys.GetAccessKeyAsync(key.AccessKeyId, Op))!.State);
        Assert.False((await Service.LookupAsync(key.AccessKeyId, Op))!.IsActive);
        var on = await Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(State: AccessKeyState.Active)), Op);
        Assert.Equal(AccessKeyState.Active, on.State);
        var record = Assert.Single(await Service.GetRecordsAsync(Op).ToListAsync());
        Assert.True(record.IsActive);
        Assert.True(record.Permissions.Allows("web", AccessOp.Read));
        Assert.False(record.Permissions.Allows("web", AccessOp.Write));
        Assert.Equal(key.SecretAccessKey, record.SecretAccessKey);
    }

    [Fact]
    public async Task Description_is_kept_replaced_or_cleared()
    {
        var key = await Create(["a:r"], "first");
        Assert.Equal("first", (await Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(Add: ["b:r"])), Op)).Description);
        Assert.Equal("second", (await Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(Description: "second")), Op)).Description);
        Assert.Null((await Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(Description: "")), Op)).Description);
        Assert.Null(Assert.Single(await All()).Description);
    }

    [Fact]
    public async Task Remove_deletes_and_a_missing_key_is_AccessKeyNotFound_for_Set_and_Remove()
    {
        var key = await Create("a:r");
        var other = await Create("b:r");
        await Service.RemoveAsync(key.AccessKeyId, Op);
        Assert.Equal([other.AccessKeyId], (await All()).Select(k => k.AccessKeyId));
        Assert.Null(await Service.LookupAsync(key.AccessKeyId, Op));
        var e = await Assert.ThrowsAsync<CimaaException>(() => Service.RemoveAsync(key.AccessKeyId, Op));
        Assert.Equal((AccessKeyErrorIds.AccessKeyNotFound, (object?)key.AccessKeyId), (e.ErrorId, e.Target));
        e = await Assert.ThrowsAsync<CimaaException>(() =>
            Service.SetAsync(key.AccessKeyId, AccessKeyService.PrepareChange(new AccessKeyChange(State: AccessKeyState.Active)), Op));
        Assert.Equal(AccessKeyErrorIds.AccessKeyNotFound, e.ErrorId);
        Assert.Equal([other.AccessKeyId], (await All()).Select(k => k.AccessKeyId));
    }

    [Theory]
    [InlineData("web")]
    [InlineData("web:x")]
    [InlineData("we b:r")]
    [InlineData(":r")]
    public async Task An_invalid_permission_is_InvalidPermission_and_writes_nothing(string bad)
    {
        var e = Assert.Throws<CimaaException>(() => AccessKeyService.PrepareNew(["ok:r", bad], null));
        Assert.Equal((AccessKeyErrorIds.InvalidPermission, CimaaErrorCategory.InvalidArgument, (object?)bad), (e.ErrorId, e.Category, e.Target));
        Assert.Empty(await All());
        Assert.Equal(0, Writes());
        var key = await Create("a:r");
        var writes = Writes();
        foreach (var change in new[] { new AccessKeyChange(Permission: [bad]), new AccessKeyChange(Add: ["b:r", bad]), new AccessKeyChange(Remove: [bad]) })
        {
            Assert.Equal(AccessKeyErrorIds.InvalidPermission, Assert.Throws<CimaaException>(() => AccessKeyService.PrepareChange(change)).ErrorId);
        }
        Assert.Equal(["a:r"], Assert.Single(await All()).Permissions);
        Assert.Equal(writes, Writes());
    }

    /// <summary>Write requests sent so far (PutItem, DeleteItem; or the SQLite Insert, Update and Delete statements).</summary>
    private long Writes() => Client.Requests.Snapshot()
        .Where(kv => kv.Key.StartsWith("Put", StringComparison.Ordinal) || kv.Key.StartsWith("Insert", StringComparison.Ordinal)
            || kv.Key.StartsWith("Update", StringComparison.Ordinal) || kv.Key.StartsWith("Delete", StringComparison.Ordinal))
        .Sum(kv => kv.Value);

    [Fact]
    public async Task A_put_never_overwrites_a_new_key_nor_brings_a_removed_one_back()
    {
        var key = await Create("a:r");
        var item = await Keys.GetAccessKeyAsync(key.AccessKeyId, Op);
        Assert.False(await Keys.PutAccessKeyAsync(item! with { SecretAccessKey = "other", Permissions = ["z:w"] }, overwrite: false, Op));
        Assert.Equal(key.SecretAccessKey, (await Keys.GetAccessKeyAsync(key.AccessKeyId, Op))!.SecretAccessKey);
        await Service.RemoveAsync(key.AccessKeyId, Op);
        Assert.False(await Keys.PutAccessKeyAsync(item!, overwrite: true, Op));
        Assert.Empty(await All());
    }

    [Fact]
    public async Task Lookup_ignores_permissions_it_cannot_parse_and_treats_an_unknown_state_as_inactive()
    {
        Assert.True(await Keys.PutAccessKeyAsync(new AccessKeyItem("AKID0000000000000001", "s3cr3t", ["web:r", "bogus", "x:rw"], "SUSPENDED", 5, null),
            overwrite: false, Op));
        var record = await Service.LookupAsync("AKID0000000000000001", Op);
        Assert.False(record!.IsActive);
        Assert.True(record.Permissions.Allows("web", AccessOp.Read));
        Assert.True(record.Permissions.Allows("x", AccessOp.Write));
        Assert.Equal(3, record.Permissions.Count);
        var shown = Assert.Single(await All());
        Assert.Equal(["bogus", "web:r", "x:rw"], shown.Permissions);
        Assert.Equal((AccessKeyState.Inactive, DateTimeOffset.FromUnixTimeSeconds(5)), (shown.State, shown.Created));
    }
}

public sealed class SqliteAccessKeyStoreContractTests : AccessKeyStoreContractTests<SqliteBackend>;

public sealed class DynamoAccessKeyStoreContractTests : AccessKeyStoreContractTests<DynamoBackend>;
