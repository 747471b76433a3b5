namespace Relay.Server.Media;

/// <summary>The media node could not start for a reason the operator can fix (the port is taken, the certificate does not load).</summary>
#pragma warning disable CA1032 // Thrown only by the node, always with a message and its cause.
internal sealed class MediaNodeStartException(string message, Exception innerException) : InvalidOperationException(message, innerException);
#pragma warning restore CA1032
