using System.Runtime.InteropServices;

namespace Relay.Transport.Dtls.Interop;

/// <summary>struct timeval as DTLSv1_get_timeout fills it (two C longs on Linux).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timeval
{
    public nint Seconds;
    public nint Microseconds;

    public readonly TimeSpan ToTimeSpan() =>
        TimeSpan.FromTicks((Seconds * TimeSpan.TicksPerSecond) + (Microseconds * TimeSpan.TicksPerMicrosecond));
}
