namespace Cimaa.Export;

/// <summary>The record tables of an export file, in the order the exporter writes them.</summary>
public enum ExportTable
{
    Faults,
    Heartbeats,
    Squelches,
    Config,
    Metrics,
    AccessKeys,
}

/// <summary>
/// Table names as the file spells them, and the -Include groups: <c>faults</c> brings the faults and the heartbeats; the others
/// are one table each. Access keys are exported only when asked for.
/// </summary>
public static class ExportTables
{
    public const string Faults = "faults";
    public const string Squelches = "squelches";
    public const string Config = "config";
    public const string Metrics = "metrics";
    public const string AccessKeys = "accesskeys";

    /// <summary>Every -Include name, in file order.</summary>
    public static readonly IReadOnlyList<string> IncludeNames = [Faults, Squelches, Config, Metrics, AccessKeys];

    /// <summary>What Export-CimaaDatabase includes by default: everything but access keys.</summary>
    public static readonly IReadOnlyList<string> DefaultInclude = [Faults, Squelches, Config, Metrics];

    public static string Name(ExportTable table) => table switch
    {
        ExportTable.Faults => "faults",
        ExportTable.Heartbeats => "heartbeats",
        ExportTable.Squelches => "squelches",
        ExportTable.Config => "config",
        ExportTable.Metrics => "metrics",
        ExportTable.AccessKeys => "accesskeys",
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    /// <summary>A record table by its name in the file (exact, lower case).</summary>
    public static bool TryParse(string? name, out ExportTable table)
    {
        foreach (var t in Enum.GetValues<ExportTable>())
        {
            if (Name(t) == name)
            {
                table = t;
                return true;
            }
        }
        table = default;
        return false;
    }

    /// <summary>The -Include name that brings a record table.</summary>
    public static string IncludeOf(ExportTable table) => table == ExportTable.Heartbeats ? Faults : Name(table);

    /// <summary>The record tables an -Include name brings.</summary>
    public static IReadOnlyList<ExportTable> TablesOf(string include) => include switch
    {
        Faults => [ExportTable.Faults, ExportTable.Heartbeats],
        Squelches => [ExportTable.Squelches],
        Config => [ExportTable.Config],
        Metrics => [ExportTable.Metrics],
        AccessKeys => [ExportTable.AccessKeys],
        _ => throw new ArgumentOutOfRangeException(nameof(include), include, "Not an -Include name."),
    };

    /// <summary>
    /// The -Include names given (any case), distinct, in file order; null or empty gives <paramref name="fallback"/>.
    /// The cmdlets' ValidateSet keeps unknown names out; here one is an ArgumentException.
    /// </summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string>? include, IReadOnlyList<string> fallback)
    {
        var given = include?.ToList();
        if (given is null || given.Count == 0) return fallback;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in given)
        {
            var lower = name?.Trim().ToLowerInvariant();
            if (lower is null || !IncludeNames.Contains(lower))
            {
                throw new ArgumentException($"'{name}' is not a table to include; use {string.Join(", ", IncludeNames)}.", nameof(include));
            }
            wanted.Add(lower);
        }
        return IncludeNames.Where(wanted.Contains).ToList();
    }
}
