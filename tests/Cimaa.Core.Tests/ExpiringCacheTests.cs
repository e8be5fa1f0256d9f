using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>The per-client cache tab completion keeps its values in (it was the cmdlet assembly's CompletionCache).</summary>
public class ExpiringCacheTests
{
    [Fact]
    public void Cache_entries_live_30_seconds_on_the_clock_and_are_kept_per_kind()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var cache = new ExpiringCache(clock);
        var lifetime = TimeSpan.FromSeconds(30);
        var loads = 0;
        IReadOnlyList<string> Get(string kind) => cache.GetOrLoad<IReadOnlyList<string>>(kind, lifetime, () => [$"{kind}{++loads}"]);

        Assert.Equal(["Agent1"], Get("Agent"));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(["Agent1"], Get("Agent"));
        Assert.Equal(["SquelchPattern2"], Get("SquelchPattern"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["Agent3"], Get("Agent"));
        Assert.Equal(["SquelchPattern2"], Get("SquelchPattern"));
        Assert.Equal(3, loads);
    }

    [Fact]
    public void A_failed_load_keeps_nothing_and_a_clock_set_back_reloads()
    {
        var clock = new ManualClock();
        var cache = new ExpiringCache(clock);
        var lifetime = TimeSpan.FromSeconds(30);
        Assert.Throws<InvalidOperationException>(() => cache.GetOrLoad<string>("k", lifetime, () => throw new InvalidOperationException()));
        Assert.Equal("a", cache.GetOrLoad("k", lifetime, () => "a"));
        Assert.Equal("a", cache.GetOrLoad("k", lifetime, () => "b"));
        clock.Advance(TimeSpan.FromSeconds(-1));
        Assert.Equal("c", cache.GetOrLoad("k", lifetime, () => "c"));
    }
}
