using Cimaa.Storage;

namespace Cimaa.Squelches;

/// <summary>What Add-CimaaSquelch asks for.</summary>
public sealed record SquelchRequest(string Pattern, string Reason, string User, bool Permanent, TimeSpan? Duration, DateTimeOffset? Until, bool Force);

/// <summary>The squelch rules, above the store: validation, expiry, listing filters, and the matcher faults are checked against.</summary>
public sealed class SquelchService(ISquelchStore store, TimeProvider clock)
{
    /// <summary>Every squelch, sorted by pattern (one read of the table).</summary>
    public async Task<List<Squelch>> GetAllAsync(OpContext op)
    {
        var now = clock.GetUtcNow();
        var list = new List<Squelch>();
        await foreach (var r in store.GetSquelchesAsync(op).ConfigureAwait(false)) list.Add(Squelch.From(r, now));
        list.Sort((a, b) => string.CompareOrdinal(a.Pattern, b.Pattern));
        return list;
    }

    /// <summary>Squelches whose pattern equals one of the given texts or matches it as a wildcard, filtered by age and expiry.</summary>
    public async IAsyncEnumerable<Squelch> GetAsync(IReadOnlyList<string>? patterns, TimeSpan? olderThan, bool expiredOnly, OpContext op)
    {
        var wildcards = patterns?.Select(p => new Wildcard(p)).ToList();
        foreach (var s in await GetAllAsync(op).ConfigureAwait(false))
        {
            if (wildcards is { Count: > 0 } && !wildcards.Any(w => w.Pattern == s.Pattern || w.IsMatch(s.Pattern))) continue;
            if (olderThan is { } age && s.Age <= age) continue;
            if (expiredOnly && !s.IsExpired) continue;
            yield return s;
        }
    }

    /// <summary>A matcher over the current squelches, for the Squelch property of faults.</summary>
    public async Task<SquelchMatcher> MatcherAsync(OpContext op) => new(await GetAllAsync(op).ConfigureAwait(false), op.Log.Warning);

    /// <summary>Validates and stores a squelch. SquelchExists when the pattern exists and Force is not given.</summary>
    public async Task<Squelch> AddAsync(SquelchRequest request, OpContext op)
    {
        var record = Validate(request);
        if (!await store.PutSquelchAsync(record, request.Force, op).ConfigureAwait(false))
        {
            throw new CimaaException(ErrorIds.SquelchExists, CimaaErrorCategory.ResourceExists,
                $"A squelch with the pattern '{request.Pattern}' exists; use -Force to replace it.", request.Pattern);
        }
        return Squelch.From(record, clock.GetUtcNow());
    }

    /// <summary>Checks everything Add needs before any write, and builds the record.</summary>
    public SquelchRecord Validate(SquelchRequest request)
    {
        SquelchPattern.Parse(request.Pattern);
        if (string.IsNullOrWhiteSpace(request.Reason))
            throw new CimaaException(ErrorIds.InvalidSquelch, CimaaErrorCategory.InvalidArgument, "A squelch needs a reason.", request.Reason);
        var now = clock.GetUtcNow();
        DateTimeOffset? expires = request.Duration is { } d ? now + d : request.Until;
        if (expires is { } e && e <= now)
            throw new CimaaException(ErrorIds.InvalidSquelch, CimaaErrorCategory.InvalidArgument,
                $"The squelch would expire at {e:u}, which is not in the future.", expires);
        return new SquelchRecord(request.Pattern, request.Reason, request.User, Epoch.Seconds(now), request.Permanent,
            expires is { } x ? Epoch.Seconds(x) : null);
    }

    public async Task RemoveAsync(string pattern, OpContext op)
    {
        if (!await store.DeleteSquelchAsync(pattern, op).ConfigureAwait(false))
        {
            throw new CimaaException(ErrorIds.SquelchNotFound, CimaaErrorCategory.ObjectNotFound, $"There is no squelch with the pattern '{pattern}'.", pattern);
        }
    }

    /// <summary>The default user: $SUDO_USER when running as root, else the current user name.</summary>
    public static string DefaultUser(Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var sudo = env("SUDO_USER");
        var isRoot = !OperatingSystem.IsWindows() && Environment.UserName == "root";
        return isRoot && !string.IsNullOrEmpty(sudo) ? sudo : Environment.UserName;
    }
}
