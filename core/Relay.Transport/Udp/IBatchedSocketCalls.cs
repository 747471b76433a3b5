namespace Relay.Transport.Udp;

/// <summary>
/// sendmmsg(2) and recvmmsg(2) as <see cref="UdpMediaSocket"/> calls them: the real ones
/// (<see cref="LinuxBatchedSocketCalls"/>) in the relay, a stand-in in tests that makes them fail as
/// an old kernel (ENOSYS), a seccomp filter or a signal (EINTR) would, so the socket's fallbacks are
/// exercised on a kernel that has both calls.
/// </summary>
internal unsafe interface IBatchedSocketCalls
{
    /// <summary>Sends up to <paramref name="count"/> messages; the number sent, or -1 with <paramref name="errno"/> set.</summary>
    int SendMmsg(int socket, LinuxSocketCalls.MMsgHdr* messages, uint count, out int errno);

    /// <summary>Receives up to <paramref name="count"/> messages; the number received, or -1 with <paramref name="errno"/> set.</summary>
    int RecvMmsg(int socket, LinuxSocketCalls.MMsgHdr* messages, uint count, int flags, out int errno);
}
