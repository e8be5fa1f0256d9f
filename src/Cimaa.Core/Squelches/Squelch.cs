namespace Cimaa;

/// <summary>A regex silence on fault names (type name Cimaa.Squelch).</summary>
public sealed class Squelch
{
    public required string Pattern { get; init; }
    public string Reason { get; init; } = "";
    public string User { get; init; } = "";
    public DateTimeOffset Time { get; init; }
    public bool Permanent { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public TimeSpan Age { get; init; }
    public bool IsExpired { get; init; }

    public override string ToString() => Pattern;

    internal static Squelch From(Storage.SquelchRecord r, DateTimeOffset now)
    {
        var time = Storage.Epoch.ToTime(r.Time);
        var expires = r.Expires is { } e ? Storage.Epoch.ToTime(e) : (DateTimeOffset?)null;
        return new Squelch
        {
            Pattern = r.Regex,
            Reason = r.Reason,
            User = r.User,
            Time = time,
            Permanent = r.Permanent,
            Expires = expires,
            Age = now - time,
            IsExpired = expires is { } x && x <= now,
        };
    }
}
