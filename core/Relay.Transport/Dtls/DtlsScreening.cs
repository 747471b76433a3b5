namespace Relay.Transport.Dtls;

/// <summary>What <see cref="DtlsDatagrams.Screen"/> decided about a received datagram.</summary>
internal enum DtlsScreening
{
    /// <summary>Drop it: it cannot be from a well-behaved peer, or could harm OpenSSL.</summary>
    Reject,

    /// <summary>Pass it on; it holds only epoch-0 records.</summary>
    Accept,

    /// <summary>Pass it on; it holds records of epoch 1 (protected, or early if the handshake is still running).</summary>
    AcceptWithEpochOne,
}
