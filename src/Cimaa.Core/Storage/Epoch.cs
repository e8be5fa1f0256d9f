namespace Cimaa.Storage;

/// <summary>Epoch-second conversions (zc.cimaa stores integer seconds).</summary>
public static class Epoch
{
    public static long Seconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    public static DateTimeOffset ToTime(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    public static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeSeconds();
}
