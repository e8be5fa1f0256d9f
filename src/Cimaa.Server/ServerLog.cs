using Microsoft.Extensions.Logging;

namespace Cimaa.Server;

/// <summary>Every line the server logs, as compiled logging methods (no argument boxed or formatted when the level is off).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "{Version} server on {Store}, signing region {Region}, listening on {Urls}")]
    public static partial void Started(this ILogger logger, string version, string store, string region, string urls);

    [LoggerMessage(2, LogLevel.Information, "{Method} {Path} {Status} {Duration:0.0}ms key={KeyId}")]
    public static partial void Request(this ILogger logger, string method, string path, int status, double duration, string keyId);

    [LoggerMessage(3, LogLevel.Error, "{Method} {Path} failed")]
    public static partial void RequestFailed(this ILogger logger, Exception error, string method, string path);

    [LoggerMessage(4, LogLevel.Warning, "{Method} {Path}: {ErrorId} {Error}")]
    public static partial void RequestRefused(this ILogger logger, string method, string path, string errorId, string error);

    [LoggerMessage(5, LogLevel.Debug, "Loaded {Count} access keys")]
    public static partial void KeysLoaded(this ILogger logger, int count);

    [LoggerMessage(6, LogLevel.Warning, "Could not load the access keys: {Error}")]
    public static partial void KeysNotLoaded(this ILogger logger, string error);

    [LoggerMessage(7, LogLevel.Warning, "Health check failed: {Error}")]
    public static partial void HealthCheckFailed(this ILogger logger, string error);

    [LoggerMessage(8, LogLevel.Debug, "Skipped {Count} non-numeric values in reduced results")]
    public static partial void SkippedNonNumeric(this ILogger logger, long count);

    [LoggerMessage(9, LogLevel.Warning, "{Message}")]
    public static partial void CoreWarning(this ILogger logger, string message);

    [LoggerMessage(10, LogLevel.Debug, "{Message}")]
    public static partial void CoreVerbose(this ILogger logger, string message);

    [LoggerMessage(11, LogLevel.Trace, "{Message}")]
    public static partial void CoreDebug(this ILogger logger, string message);
}
