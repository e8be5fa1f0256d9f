using System.Collections.Specialized;

namespace Cimaa;

/// <summary>
/// One datapoint of a metric (type name Cimaa.DataPoint). Tags is an ordered dictionary sorted by key: string to string for a
/// stream, string to string[] for an aggregated series.
/// </summary>
public sealed class DataPoint
{
    public required string Domain { get; init; }
    public required string Name { get; init; }
    public required OrderedDictionary Tags { get; init; }

    /// <summary>UTC, millisecond precision.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>A decimal for numbers; otherwise the value restored from its JSON text (string, bool, ordered dictionary, object[]).</summary>
    public object? Value { get; init; }

    public override string ToString() => $"{Name} {Timestamp:yyyy-MM-dd HH:mm:ss.fff'Z'} {Value}";
}

/// <summary>One tag key of a metric with every value stored for it (type name Cimaa.MetricTag).</summary>
public sealed class MetricTag
{
    public required string Domain { get; init; }
    public required string Name { get; init; }
    public required string Key { get; init; }

    /// <summary>Sorted (ordinal), distinct.</summary>
    public required string[] Values { get; init; }

    public override string ToString() => $"{Key}={string.Join(",", Values)}";
}
