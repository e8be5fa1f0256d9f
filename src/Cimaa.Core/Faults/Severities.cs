using System.Globalization;

namespace Cimaa.Faults;

/// <summary>Severity levels as zc.cimaa uses them (Python logging levels): 0 OK, 30 warning, 40 error, 50 and above critical.</summary>
public static class Severities
{
    public const int OK = 0;
    public const int Warning = 30;
    public const int Error = 40;
    public const int Critical = 50;

    /// <summary>The level name: OK (0), Info (1 to 29), Warning (30 to 39), Error (40 to 49), Critical (50 and above).</summary>
    public static string Level(int severity) => severity switch
    {
        >= Critical => "Critical",
        >= Error => "Error",
        >= Warning => "Warning",
        > OK => "Info",
        _ => "OK",
    };

    /// <summary>Parses an integer, a whole-number value, or a level name (case-insensitive). Null when it is none of these.</summary>
    public static int? Parse(object? value) => value switch
    {
        null => null,
        int i when i >= 0 => i,
        long l when l is >= 0 and <= int.MaxValue => (int)l,
        short s when s >= 0 => s,
        byte b => b,
        decimal m when m >= 0 && m <= int.MaxValue && decimal.Truncate(m) == m => (int)m,
        double d when d >= 0 && d <= int.MaxValue && Math.Truncate(d) == d => (int)d,
        string s => ParseName(s.Trim()),
        _ => null,
    };

    private static int? ParseName(string s)
    {
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        return s.ToUpperInvariant() switch
        {
            "OK" => OK,
            "WARNING" => Warning,
            "ERROR" => Error,
            "CRITICAL" => Critical,
            _ => null,
        };
    }
}
