using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Udp;

/// <summary>
/// The real sendmmsg and recvmmsg, except where a test makes them fail as an old kernel (ENOSYS), a
/// signal (EINTR), a non-blocking descriptor (EAGAIN) or a failing device would, or makes sendmmsg
/// take fewer datagrams per call than it was given (the kernel may stop early).
/// </summary>
internal sealed unsafe class StandInBatchedSocketCalls : IBatchedSocketCalls
{
    private int _sendFailuresLeft;
    private int _receiveFailuresLeft;
    private int _sendCalls;
    private int _receiveCalls;

    /// <summary>Both calls answer ENOSYS, every time: a kernel without them.</summary>
    public static StandInBatchedSocketCalls Unavailable() => new()
    {
        SendErrno = LinuxSocketCalls.ENoSys,
        SendFailures = int.MaxValue,
        ReceiveErrno = LinuxSocketCalls.ENoSys,
        ReceiveFailures = int.MaxValue,
    };

    /// <summary>The errno of the sendmmsg calls made to fail.</summary>
    public int SendErrno { get; init; }

    /// <summary>How many sendmmsg calls fail before the real one is called (int.MaxValue: all).</summary>
    public int SendFailures { init => _sendFailuresLeft = value; }

    /// <summary>The errno of the recvmmsg calls made to fail.</summary>
    public int ReceiveErrno { get; init; }

    /// <summary>How many recvmmsg calls fail before the real one is called (int.MaxValue: all).</summary>
    public int ReceiveFailures { init => _receiveFailuresLeft = value; }

    /// <summary>At most this many datagrams per real sendmmsg, however many it is given.</summary>
    public uint MaxDatagramsPerSend { get; init; } = uint.MaxValue;

    public int SendCalls => Volatile.Read(ref _sendCalls);

    public int ReceiveCalls => Volatile.Read(ref _receiveCalls);

    public int SendMmsg(int socket, LinuxSocketCalls.MMsgHdr* messages, uint count, out int errno)
    {
        Interlocked.Increment(ref _sendCalls);
        if (TakeFailure(ref _sendFailuresLeft))
        {
            errno = SendErrno;
            return -1;
        }

        return LinuxBatchedSocketCalls.Instance.SendMmsg(socket, messages, Math.Min(count, MaxDatagramsPerSend), out errno);
    }

    public int RecvMmsg(int socket, LinuxSocketCalls.MMsgHdr* messages, uint count, int flags, out int errno)
    {
        Interlocked.Increment(ref _receiveCalls);
        if (TakeFailure(ref _receiveFailuresLeft))
        {
            errno = ReceiveErrno;
            return -1;
        }

        return LinuxBatchedSocketCalls.Instance.RecvMmsg(socket, messages, count, flags, out errno);
    }

    private static bool TakeFailure(ref int left)
    {
        int current = Volatile.Read(ref left);
        if (current == int.MaxValue)
        {
            return true;
        }

        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref left, current - 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }
}
