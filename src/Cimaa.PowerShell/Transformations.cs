using System.Globalization;
using System.Management.Automation;

namespace Cimaa.PowerShell;

/// <summary>A plain number given to a TimeSpan parameter means seconds: -OlderThan 900 is 15 minutes.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecondsTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return value switch
        {
            int or long or short or byte or uint or ulong => TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            double d => TimeSpan.FromSeconds(d),
            float f => TimeSpan.FromSeconds(f),
            decimal m => TimeSpan.FromSeconds((double)m),
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) => TimeSpan.FromSeconds(secs),
            _ => inputData,
        };
    }
}

/// <summary>A severity given as an integer or a level name (OK, Warning, Error, Critical), case-insensitive.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SeverityTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return SeverityParser.Parse(value)
            ?? throw new ArgumentTransformationMetadataException(
                $"'{value}' is not a severity: give an integer or one of OK, Warning, Error, Critical.");
    }
}

/// <summary>Calls into Core from a non-inlined method, so the attribute type itself never references Core.</summary>
internal static class SeverityParser
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static int? Parse(object? value) => Cimaa.Faults.Severities.Parse(value);
}

/// <summary>
/// A metric time: a DateTimeOffset, a DateTime, 'now', an ISO date, or a relative time such as -15m, -2h, -7d, -1w, -1mo, -1y.
/// What parses becomes a DateTimeOffset; anything else is left as given, so the cmdlet can report it with the ErrorId InvalidTime
/// (a transformation that throws always surfaces as ParameterArgumentTransformationError).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class MetricTimeTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        return MetricTimeParser.TryParse(value, DateTimeOffset.UtcNow) is { } time ? time : inputData;
    }
}

/// <summary>Calls into Core from non-inlined methods, so the attribute type itself never references Core.</summary>
internal static class MetricTimeParser
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static DateTimeOffset? TryParse(object? value, DateTimeOffset now)
    {
        try
        {
            return Cimaa.Metrics.MetricTime.Parse(value, now);
        }
        catch (CimaaException)
        {
            return null;
        }
    }

    /// <summary>The time, or the InvalidTime error for it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static DateTimeOffset Parse(object? value, DateTimeOffset now) =>
        value is DateTimeOffset t ? t : Cimaa.Metrics.MetricTime.Parse(value is PSObject ps ? ps.BaseObject : value, now);
}
