using System.Globalization;
using System.Text;

namespace Cimaa.Deploy;

/// <summary>One parsed status line: <c>&lt;epoch seconds&gt; &lt;pid&gt; &lt;version&gt; &lt;status...&gt;</c>.</summary>
public sealed record StatusLine(DateTimeOffset Time, int Pid, string Version, string Status);

/// <summary>The outcome of parsing: a line, or what is wrong with the content.</summary>
public sealed record StatusLineParse(StatusLine? Line, string? Problem)
{
    public bool Ok => Line is not null;
}

/// <summary>
/// Parses the content of a status file. Pure and total: any bytes give a line or a problem, never an exception.
/// </summary>
public static class StatusLineParser
{
    private const long MinEpochSeconds = -62135596800;  // 0001-01-01T00:00:00Z
    private const long MaxEpochSeconds = 253402300799;  // 9999-12-31T23:59:59Z
    private const int QuoteLimit = 40;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static StatusLineParse Parse(ReadOnlySpan<byte> content)
    {
        if (content.Length > StatusFile.MaxBytes) return Problem($"file is larger than {StatusFile.MaxBytes} bytes");
        if (content.StartsWith("\uFEFF"u8)) content = content[3..];
        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (ArgumentException)
        {
            return Problem("content is not UTF-8 text");
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return Problem($"content holds binary data (U+{(int)c:X4} at character {i})");
            }
        }
        text = text.Trim();
        if (text.Length == 0) return Problem("file is empty");
        if (text.AsSpan().IndexOfAny('\n', '\r') >= 0) return Problem("more than one line");

        var fields = Split(text, 4);
        if (fields.Count < 4)
        {
            return Problem($"expected '<time> <pid> <version> <status>', found {fields.Count} field{(fields.Count == 1 ? "" : "s")}");
        }
        var (timeText, pidText, version, status) = (fields[0], fields[1], fields[2], fields[3]);

        if (!decimal.TryParse(timeText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var seconds))
        {
            return double.TryParse(timeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d)
                ? Problem($"time '{Quote(timeText)}' is out of range")
                : Problem($"time '{Quote(timeText)}' is not a number");
        }
        if (seconds < MinEpochSeconds || seconds > MaxEpochSeconds) return Problem($"time '{Quote(timeText)}' is out of range");
        var time = DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Truncate(seconds * TimeSpan.TicksPerSecond));

        if (!int.TryParse(pidText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pid))
        {
            return Problem($"pid '{Quote(pidText)}' is not an integer");
        }
        return new StatusLineParse(new StatusLine(time, pid, version, status), null);
    }

    /// <summary>Splits on runs of white space into at most <paramref name="max"/> fields; the last keeps the rest as is.</summary>
    private static List<string> Split(string text, int max)
    {
        var fields = new List<string>(max);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i == text.Length) break;
            if (fields.Count == max - 1)
            {
                fields.Add(text[i..]);
                break;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            fields.Add(text[start..i]);
        }
        return fields;
    }

    /// <summary>Quotes a field in a message, cut short so a huge field cannot flood it.</summary>
    internal static string Quote(string field)
    {
        if (field.Length <= QuoteLimit) return field;
        var cut = char.IsHighSurrogate(field[QuoteLimit - 1]) ? QuoteLimit - 1 : QuoteLimit;
        return field[..cut] + "...";
    }

    private static StatusLineParse Problem(string what) => new(null, what);
}
