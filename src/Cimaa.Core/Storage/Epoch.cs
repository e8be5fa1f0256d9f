namespace Cimaa.Storage;

/// <summary>Epoch-second conversions (zc.cimaa stores integer seconds).</summary>
public static class Epoch
{
    public static long Seconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    public static DateTimeOffset ToTime(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    public static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Epoch seconds to the tick (100 ns), not truncated: for comparisons that must be exact.</summary>
    public static decimal ExactSeconds(DateTimeOffset time) =>
        (decimal)(time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond;

    /// <summary>A stored time that may be fractional (Python agents write time.time()), rounded to the tick.</summary>
    public static DateTimeOffset ToTime(decimal seconds) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero));

    /// <summary>Exact decimal text for a DynamoDB N (no exponent, no trailing zeros).</summary>
    public static string ToN(decimal seconds) => seconds.ToString("0.############################", System.Globalization.CultureInfo.InvariantCulture);
}
