using System.Globalization;
using System.Management.Automation;

namespace Cimaa.PowerShell;

/// <summary>A plain number given to a TimeSpan parameter means seconds: -OlderThan 900 is 15 minutes.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecondsTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = PSValues.Unwrap(inputData);
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
        var value = PSValues.Unwrap(inputData);
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
