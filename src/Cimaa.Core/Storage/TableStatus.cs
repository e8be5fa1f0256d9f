namespace Cimaa;

/// <summary>The outcome of Initialize-CimaaTable for one table.</summary>
public sealed class TableStatus
{
    public required string Table { get; init; }
    /// <summary>Created or Exists.</summary>
    public required string Status { get; init; }
    /// <summary>The key schema, for example "agent (HASH S), name (RANGE S)".</summary>
    public required string KeySchema { get; init; }
    public override string ToString() => $"{Table} {Status}";
}

/// <summary>Options of Initialize-CimaaTable.</summary>
public sealed record TableOptions(bool Provisioned = false, long ReadCapacity = 5, long WriteCapacity = 5, TimeSpan? Timeout = null)
{
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromMinutes(5);
}
