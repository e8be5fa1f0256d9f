using System.Collections.Specialized;

namespace Cimaa;

/// <summary>One option of a configuration store (one item of the config table).</summary>
/// <remarks>
/// <see cref="Values"/> is an <see cref="OrderedDictionary"/> with a case-insensitive comparer, its keys sorted
/// (case-insensitively, then ordinally). Values are null, string, bool, long (whole numbers), decimal (other numbers), object?[] (lists) and the same kind of
/// ordered dictionary (maps); DynamoDB string, number and binary sets read as object?[] and binary as byte[].
/// </remarks>
public sealed class ConfigOption
{
    public required string Store { get; init; }
    public required string Option { get; init; }
    public required OrderedDictionary Values { get; init; }

    public override string ToString() => $"{Store}/{Option}";
}
