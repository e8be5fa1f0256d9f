namespace Cimaa.Testing;

/// <summary>
/// The one fake clock of the tests: it moves only when told to. Timers (retry and poll delays) still run on real time, so
/// tests shorten those delays in the settings instead.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public ManualClock() : this(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
}
