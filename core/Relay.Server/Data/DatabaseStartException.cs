namespace Relay.Server.Data;

/// <summary>The relay's database could not be opened or migrated at start; the message says what to fix.</summary>
#pragma warning disable CA1032 // Thrown only by the migration at start, always with a message and its cause.
internal sealed class DatabaseStartException(string message, Exception innerException) : InvalidOperationException(message, innerException);
#pragma warning restore CA1032
