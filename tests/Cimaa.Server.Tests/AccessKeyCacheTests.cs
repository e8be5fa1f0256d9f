using Cimaa.Testing;
using System.Net;
using System.Runtime.CompilerServices;
using Cimaa.AccessKeys;

namespace Cimaa.Server.Tests;

/// <summary>The key cache on a manual clock: reloads at most every 15 s, never uses keys 30 s old, survives a failing source.</summary>
public class AccessKeyCacheTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly List<AccessKeyRecord> _keys = [TestKeys.WebRead.Record];
    private int _reads;
    private bool _failing;

    private async IAsyncEnumerable<AccessKeyRecord> Source([EnumeratorCancellation] CancellationToken ct)
    {
        _reads++;
        await Task.Yield();
        if (_failing) throw new InvalidOperationException("store down");
        foreach (var k in _keys.ToList()) yield return k;
    }

    private AccessKeyCache Cache() => new(Source, _clock);

    [Fact]
    public async Task Nothing_is_known_before_the_first_load_and_the_first_request_waits_for_it()
    {
        var cache = Cache();
        Assert.Null(cache.Lookup(TestKeys.WebRead.Id));
        Assert.True(await cache.EnsureFreshAsync());
        Assert.Equal(TestKeys.WebRead.Id, cache.Lookup(TestKeys.WebRead.Id)!.AccessKeyId);
        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task Keys_are_reloaded_at_most_every_15_seconds()
    {
        var cache = Cache();
        await cache.EnsureFreshAsync();
        _clock.Advance(TimeSpan.FromSeconds(14.9));
        for (var i = 0; i < 5; i++) Assert.True(await cache.EnsureFreshAsync());
        Assert.Equal(1, _reads);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(await cache.EnsureFreshAsync());
        Assert.True(await cache.EnsureFreshAsync());
        await WaitForLoads(cache, 2);
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task A_change_takes_effect_within_30_seconds_even_after_an_idle_time()
    {
        var cache = Cache();
        await cache.EnsureFreshAsync();
        _keys.Clear();
        _keys.Add(TestKeys.WebWrite.Record);
        _clock.Advance(TimeSpan.FromSeconds(30));
        // Keys read 30 s ago are never used: this request waits for the reload.
        Assert.True(await cache.EnsureFreshAsync());
        Assert.Null(cache.Lookup(TestKeys.WebRead.Id));
        Assert.NotNull(cache.Lookup(TestKeys.WebWrite.Id));
    }

    [Fact]
    public async Task Between_15_and_30_seconds_the_keys_in_memory_serve_while_a_reload_runs()
    {
        var cache = Cache();
        await cache.EnsureFreshAsync();
        _keys.Clear();
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await cache.EnsureFreshAsync());
        await WaitForLoads(cache, 2);
        Assert.Null(cache.Lookup(TestKeys.WebRead.Id));
    }

    [Fact]
    public async Task A_failing_source_keeps_the_keys_until_they_are_30_seconds_old_then_requests_are_refused()
    {
        var cache = Cache();
        await cache.EnsureFreshAsync();
        _failing = true;
        _clock.Advance(TimeSpan.FromSeconds(16));
        Assert.True(await cache.EnsureFreshAsync());
        await WaitForReads(2);
        Assert.NotNull(cache.Lookup(TestKeys.WebRead.Id));
        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.False(await cache.EnsureFreshAsync());
        Assert.Equal(3, _reads);
        // The next attempt waits for the refresh interval, then succeeds once the source is back.
        Assert.False(await cache.EnsureFreshAsync());
        Assert.Equal(3, _reads);
        _failing = false;
        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.True(await cache.EnsureFreshAsync());
        Assert.Equal(4, _reads);
    }

    private static async Task WaitForLoads(AccessKeyCache cache, int loads)
    {
        for (var i = 0; i < 1000 && cache.Loads < loads; i++) await Task.Delay(10);
        Assert.Equal(loads, cache.Loads);
    }

    private async Task WaitForReads(int reads)
    {
        for (var i = 0; i < 1000 && _reads < reads; i++) await Task.Delay(10);
        Assert.Equal(reads, _reads);
        await Task.Delay(50);
    }
}

/// <summary>A running server on a manual clock: a new key works within 30 s of being stored, without a restart.</summary>
public sealed class KeyChangeTests : IClassFixture<KeyChangeTests.ClockedServer>
{
    public sealed class ClockedServer : SqliteServer
    {
        public ManualClock ManualClock { get; } = new(DateTimeOffset.UtcNow);
        protected override TimeProvider Clock => ManualClock;
    }

    private readonly ClockedServer _server;

    public KeyChangeTests(ClockedServer server) => _server = server;

    private async Task<HttpStatusCode> WriteAsync(TestKey key)
    {
        var body = Api.Utf8($$"""[{"name":"rotated","timestamp":{{_server.ManualClock.GetUtcNow().ToUnixTimeMilliseconds() - 1000}},"value":1}]""");
        var (status, _) = await _server.SendAsync(Signing.Core(_server.BaseUri, HttpMethod.Post, "/api/v1/web/datapoints", body, key,
            _server.ManualClock.GetUtcNow()));
        return status;
    }

    [Fact]
    public async Task A_new_key_is_refused_until_the_reload_and_accepted_within_30_seconds_and_a_disabled_key_stops()
    {
        var fresh = new TestKey("AKIDNEWKEY0000000001", "newKeySecretHHHHHHHHHHHHHHHHHHHHHHHHHHH8", ["web:w"]);
        Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(TestKeys.WebWrite));
        _server.SetKeys(TestKeys.Stored.Select(k => k.Record).Append(fresh.Record));
        Assert.Equal(HttpStatusCode.Forbidden, await WriteAsync(fresh));
        _server.ManualClock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NoContent, await WriteAsync(fresh));

        _server.SetKeys(TestKeys.Stored.Select(k => k.Record).Append((fresh with { Active = false }).Record));
        _server.ManualClock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Forbidden, await WriteAsync(fresh));
    }
}
