using System.Net;
using Cimaa.AccessKeys;
using Cimaa.Storage;
using Cimaa.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cimaa.Server.Tests;

/// <summary>A server that reads its keys from its own store, on a manual clock with the default refresh (15 s).</summary>
public interface IStoredKeyServer
{
    ManualClock ManualClock { get; }
}

public sealed class SqliteStoredKeyServer : SqliteServer, IStoredKeyServer
{
    public ManualClock ManualClock { get; } = new(DateTimeOffset.UtcNow);
    protected override TimeProvider Clock => ManualClock;
    protected override bool StoredKeys => true;
}

public sealed class DynamoStoredKeyServer : DynamoServer, IStoredKeyServer
{
    public ManualClock ManualClock { get; } = new(DateTimeOffset.UtcNow);
    protected override TimeProvider Clock => ManualClock;
    protected override bool StoredKeys => true;
}

/// <summary>
/// End to end: a key created by the AccessKeyService (what New-CimaaAccessKey calls) on the server's store signs requests the
/// running server accepts; once disabled (Set-CimaaAccessKey -Disable), the server refuses it after its next reload, which a
/// request waits for once the keys in memory are 30 s old. The clock is moved, never waited for.
/// </summary>
public abstract class StoredKeyTests<TServer>(TServer server) where TServer : ServerFixture, IStoredKeyServer
{
    private ManualClock Clock => server.ManualClock;

    private Task<(HttpStatusCode Status, string Body)> WriteAsync(TestKey key, string name)
    {
        var body = Api.Utf8($$"""[{"name":"{{name}}","timestamp":{{Clock.GetUtcNow().ToUnixTimeMilliseconds() - 1000}},"value":1}]""");
        return server.SendAsync(Signing.Core(server.BaseUri, HttpMethod.Post, "/api/v1/web/datapoints", body, key, Clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_key_created_on_the_store_is_accepted_and_once_disabled_is_refused_after_the_reload()
    {
        var cache = server.App.Services.GetRequiredService<ServerContext>().Keys;
        // The start-up load runs in the background; the key is created after it, so only a reload can bring it.
        for (var i = 0; i < 1000 && cache.Loads < 1; i++) await Task.Delay(10);
        Assert.Equal(1, cache.Loads);

        await using var client = StoreFactory.Open(server.Settings);
        var created = await client.AccessKeys.CreateAsync(AccessKeyService.PrepareNew(["web:w"], "end to end"), OpContext.None);
        var key = new TestKey(created.AccessKeyId, created.SecretAccessKey, ["web:w"]);
        var (refused, body) = await WriteAsync(key, "stored.early");
        Assert.True(refused == HttpStatusCode.Forbidden, body);

        Clock.Advance(TimeSpan.FromSeconds(30));
        var (accepted, acceptedBody) = await WriteAsync(key, "stored.accepted");
        Assert.True(accepted == HttpStatusCode.NoContent, acceptedBody);

        await client.AccessKeys.SetAsync(key.Id, AccessKeyService.PrepareChange(new AccessKeyChange(State: AccessKeyState.Inactive)), OpContext.None);
        // Within the refresh the keys in memory are used: the change is not seen yet.
        Assert.Equal(HttpStatusCode.NoContent, (await WriteAsync(key, "stored.cached")).Status);

        Clock.Advance(TimeSpan.FromSeconds(30));
        var (disabled, disabledBody) = await WriteAsync(key, "stored.disabled");
        Assert.True(disabled == HttpStatusCode.Forbidden, disabledBody);
        Assert.Contains("inactive", Assert.Single(Api.Errors(disabledBody)), StringComparison.Ordinal);

        Assert.Equal(["stored.accepted", "stored.cached"], await server.StoredNamesAsync("web"));
        Assert.DoesNotContain(server.Log.Lines, l => l.Contains(created.SecretAccessKey, StringComparison.Ordinal));
    }
}

public sealed class SqliteStoredKeyTests(SqliteStoredKeyServer server) : StoredKeyTests<SqliteStoredKeyServer>(server), IClassFixture<SqliteStoredKeyServer>;

public sealed class DynamoStoredKeyTests(DynamoStoredKeyServer server) : StoredKeyTests<DynamoStoredKeyServer>(server), IClassFixture<DynamoStoredKeyServer>;
