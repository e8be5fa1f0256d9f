namespace Cimaa;

/// <summary>How many records of one table Export-CimaaDatabase wrote (type name Cimaa.ExportSummary).</summary>
public sealed class ExportSummary
{
    /// <summary>The record table: faults, heartbeats, squelches, config, metrics or accesskeys.</summary>
    public required string Table { get; init; }
    public long Records { get; init; }

    /// <summary>The full path of the file written.</summary>
    public required string Path { get; init; }

    public override string ToString() => $"{Table}: {Records}";
}

/// <summary>How many records of one table Import-CimaaDatabase wrote (type name Cimaa.ImportSummary).</summary>
public sealed class ImportSummary
{
    public required string Table { get; init; }
    public long Records { get; init; }

    /// <summary>Merge or Replace.</summary>
    public required string Mode { get; init; }

    /// <summary>The full path of the file read.</summary>
    public required string Path { get; init; }

    public override string ToString() => $"{Table}: {Records}";
}
