namespace Cimaa.Storage;

/// <summary>A stored squelch, times in epoch seconds. Python agents leave Expires absent.</summary>
public sealed record SquelchRecord(string Regex, string Reason, string User, long Time, bool Permanent, long? Expires);

/// <summary>Squelches. A store only reads and writes; the rules live in SquelchService.</summary>
public interface ISquelchStore
{
    /// <summary>Every squelch (the table is small: one Scan on DynamoDB). Unordered.</summary>
    IAsyncEnumerable<SquelchRecord> GetSquelchesAsync(OpContext op);

    /// <summary>Stores a squelch; without <paramref name="overwrite"/> it returns false when the pattern exists and writes nothing.</summary>
    Task<bool> PutSquelchAsync(SquelchRecord squelch, bool overwrite, OpContext op);

    /// <summary>Deletes a squelch; false when it did not exist.</summary>
    Task<bool> DeleteSquelchAsync(string regex, OpContext op);
}
