using System.Diagnostics.CodeAnalysis;

namespace Relay;

/// <summary>
/// Throws out of line so the methods that call these stay small enough to inline.
/// Only programming errors throw; bad bytes from the network never do.
/// One source file, compiled into each data-plane project as its own internal type
/// (see the Compile items in their project files), so no project exposes it publicly.
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
