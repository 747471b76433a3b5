using System.Diagnostics.CodeAnalysis;

namespace Relay.Protocols;

/// <summary>
/// Throws out of line so the methods that call these stay small enough to inline.
/// Only programming errors throw; bad bytes from the network never do.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName) =>
        throw new ArgumentOutOfRangeException(paramName);

    [DoesNotReturn]
    public static void ThrowArgument(string message, string paramName) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) =>
        throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void ThrowObjectDisposed(string objectName) =>
        throw new ObjectDisposedException(objectName);
}
