using Relay.Transport.Udp;

namespace Relay.Transport.Tests.Udp;

/// <summary>
/// Every test of <see cref="UdpMediaSocketTests"/> again with batching asked for on a kernel that has
/// neither recvmmsg nor sendmmsg (both answer ENOSYS): the socket must fall back to one system call per
/// datagram and behave exactly as the unbatched one.
/// </summary>
public sealed class UdpMediaSocketWithoutMmsgTests : UdpMediaSocketTests
{
    protected override bool BatchedIo => true;

    private protected override IBatchedSocketCalls BatchedCalls => StandInBatchedSocketCalls.Unavailable();
}
