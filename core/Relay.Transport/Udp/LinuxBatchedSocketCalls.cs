using System.Runtime.InteropServices;

namespace Relay.Transport.Udp;

/// <summary>
/// The real sendmmsg(2) and recvmmsg(2) from libc. A C library without them (glibc before 2.14 has
/// no sendmmsg) is answered as the kernel answers a call it lacks, ENOSYS, so the socket falls back to
/// one system call per datagram instead of throwing on the packet path; that happens once, after which
/// the socket no longer calls here.
/// </summary>
internal sealed unsafe class LinuxBatchedSocketCalls : IBatchedSocketCalls
{
    private LinuxBatchedSocketCalls()
    {
    }

    public static LinuxBatchedSocketCalls Instance { get; } = new();

    public int SendMmsg(int socket, LinuxSocketCalls.MMsgHdr* messages, uint count, out int errno)
    {
        int sent;
        try
        {
            sent = LinuxSocketCalls.sendmmsg(socket, messages, count, 0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            errno = LinuxSocketCalls.ENoSys;
            return -1;
        }

        errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
        return sent;
    }

    public int RecvMmsg(int socket, LinuxSocketCalls.MMsgHdr* messages, uint count, int flags, out int errno)
    {
        int received;
        try
        {
            received = LinuxSocketCalls.recvmmsg(socket, messages, count, flags, null);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            errno = LinuxSocketCalls.ENoSys;
            return -1;
        }

        errno = received < 0 ? Marshal.GetLastPInvokeError() : 0;
        return received;
    }
}
