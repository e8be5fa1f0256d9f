using System.Globalization;
using System.Reflection;
using Cimaa.Storage;

namespace Cimaa.Export;

/// <summary>Error IDs of Export-CimaaDatabase and Import-CimaaDatabase.</summary>
public static class ExportErrorIds
{
    /// <summary>The file is not a valid export: bad header, version, record, duplicate key, truncation, not gzip.</summary>
    public const string InvalidExportFile = "InvalidExportFile";

    /// <summary>The export target exists and -Force was not given.</summary>
    public const string ExportFileExists = "ExportFileExists";

    /// <summary>The file cannot be created, written, found or opened (the I/O error's message says why).</summary>
    public const string ExportFileError = "ExportFileError";
}

/// <summary>
/// The first line of an export file: the format name and version, the module that wrote it, the store it came from, when,
/// and the -Include names it holds (<see cref="ExportTables"/>).
/// </summary>
public sealed record ExportHeader(int Version, string Module, StoreKind Source, DateTimeOffset Exported, IReadOnlyList<string> Tables,
    DateTimeOffset? MetricStart = null)
{
    public const string FormatName = "cimaa-export";
    public const int CurrentVersion = 1;

    /// <summary>This module's version (the informational version without its build metadata).</summary>
    public static string CurrentModule { get; } = ModuleVersionOf(typeof(ExportHeader).Assembly);

    /// <summary>A header for a file written now by this module.</summary>
    public static ExportHeader Create(StoreKind source, DateTimeOffset exported, IReadOnlyList<string> tables, DateTimeOffset? metricStart = null) =>
        new(CurrentVersion, CurrentModule, source, exported, tables, metricStart);

    /// <summary>Major.minor.patch of a module version, without a pre-release or build suffix; null when it is not one.</summary>
    public static Version? ParseModuleVersion(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var end = text.IndexOfAny(['-', '+']);
        var core = end < 0 ? text : text[..end];
        var parts = core.Split('.');
        if (parts.Length is < 2 or > 4) return null;
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return null;
        }
        return new Version(numbers[0], numbers[1], parts.Length > 2 ? numbers[2] : 0);
    }

    private static string ModuleVersionOf(Assembly assembly)
    {
        var info = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(info))
        {
            var plus = info.IndexOf('+');
            return plus < 0 ? info : info[..plus];
        }
        var v = assembly.GetName().Version ?? new Version(0, 0, 0);
        return $"{v.Major}.{v.Minor}.{Math.Max(0, v.Build)}";
    }
}

/// <summary>A datapoint as the file holds it: the stream (domain, name, tags), the time in ms, N text or JSON text, and the expiry (epoch s).</summary>
public sealed record MetricPointRecord(string Domain, string Name, SortedDictionary<string, string> Tags, long TimestampMs, string? Number,
    string? Json, long Expires);

/// <summary>An access key without its secret: what an export holds of the credentials table.</summary>
public sealed record ExportedAccessKey(string AccessKeyId, IReadOnlyList<string> Permissions, string State, long Created, string Description);

/// <summary>One record read from a file: its table, its line (1-based) and the typed record.</summary>
/// <remarks>
/// The record is a <see cref="FaultRecord"/>, <see cref="HeartbeatRecord"/>, <see cref="SquelchRecord"/>, <see cref="ConfigOption"/>
/// (values normalized), <see cref="MetricPointRecord"/> or <see cref="ExportedAccessKey"/>.
/// </remarks>
public readonly record struct ExportEntry(ExportTable Table, long Line, object Record);

/// <summary>Records per table.</summary>
public sealed class ExportCounts
{
    private readonly long[] _counts = new long[Enum.GetValues<ExportTable>().Length];

    public long this[ExportTable table] => _counts[(int)table];

    public void Add(ExportTable table) => _counts[(int)table]++;

    public long Total => _counts.Sum();
}
