using System.Diagnostics.CodeAnalysis;

namespace Relay.Media;

/// <summary>
/// Throws out of line so the methods that call these stay small enough to inline. Only programming
/// errors (bad configuration, misuse) throw; packets from the network never do. Relay.Protocols keeps
/// its own internal copy; this one is Relay.Media's.
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
}
