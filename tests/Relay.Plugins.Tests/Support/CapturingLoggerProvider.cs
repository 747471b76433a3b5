using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Relay.Plugins.Tests.Support;

/// <summary>Keeps every formatted log line (with its event id and level) so tests can read what was logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, int EventId, string Message)> Lines { get; } = new();

    public string All => string.Join("\n", Lines.Select(static l => l.Message));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder.AddProvider(this).SetMinimumLevel(LogLevel.Trace));

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((logLevel, eventId.Id, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}
