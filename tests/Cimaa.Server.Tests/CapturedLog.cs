using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cimaa.Server.Tests;

/// <summary>Keeps every formatted log line of a server (category, level, message, exception text) for assertions.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    public IEnumerable<string> Requests => Lines.Where(l => l.StartsWith("Cimaa.Server.Requests ", StringComparison.Ordinal));

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
    }
}
