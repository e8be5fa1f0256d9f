using System.Reflection;
using Cimaa.AccessKeys;
using Microsoft.Extensions.Logging;

namespace Cimaa.Server;

/// <summary>What every request shares: the options, the store, the key cache and the verifier. One per server.</summary>
public sealed class ServerContext
{
    public ServerContext(ServerOptions options, ServerBackend backend, ILoggerFactory loggers)
    {
        Options = options;
        Backend = backend;
        Logger = loggers.CreateLogger("Cimaa.Server");
        Keys = new AccessKeyCache(options.AccessKeySource ?? backend.ReadAccessKeysAsync, options.Clock, options.AccessKeyRefresh, Logger);
        Verifier = new SigV4Verifier(options.Region, Keys.Lookup, options.Clock);
    }

    public ServerOptions Options { get; }
    public ServerBackend Backend { get; }
    public AccessKeyCache Keys { get; }
    public SigV4Verifier Verifier { get; }
    public ILogger Logger { get; }
    public TimeProvider Clock => Options.Clock;

    /// <summary>"Cimaa 0.1.0": the product version, without the source revision.</summary>
    public static string Version { get; } = "Cimaa " + (typeof(ServerContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
        ?.InformationalVersion.Split('+')[0] ?? typeof(ServerContext).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>Core's log for one request: warnings as warnings, the rest as debug and trace.</summary>
    public OpContext Op(CancellationToken ct) => new(new LoggerOperationLog(Logger), ct);
}

/// <summary>Core's operation log onto Microsoft.Extensions.Logging.</summary>
public sealed class LoggerOperationLog(ILogger logger) : IOperationLog
{
    public void Warning(string message) => logger.CoreWarning(message);
    public void Verbose(string message) => logger.CoreVerbose(message);
    public void Debug(string message) => logger.CoreDebug(message);
    public void Progress(ProgressReport report) { }
}
