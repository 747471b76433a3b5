using BenchmarkDotNet.Attributes;
using Relay.Protocols.Buffers;
using Relay.Protocols.Demux;
using Relay.Protocols.Stun;
using Relay.Transport.Ice;
using Relay.Transport.Udp;

namespace Relay.Bench.Transport;

/// <summary>
/// What <see cref="IceLiteServer"/> does per datagram, called as the socket's receive worker calls
/// it (no socket here: the sender discards): answer a browser's check, route media by its source
/// address, and the cost an attacker's wrong-password request imposes.
/// </summary>
public class IceBenchmarks
{
    // A Chromium connectivity check as published in str0m's STUN tests: USERNAME "p9KA:SQAt",
    // GOOG-NETWORK-INFO, ICE-CONTROLLING, USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT.
    private static readonly byte[] s_browserCheck = Convert.FromHexString(
        "000100502112a4426a756331357578556e674763" +
        "0006000970394b413a53514174000000" +
        "c05700040001000a" +
        "802a00086eeec6e97d18395c" +
        "00250000" +
        "002400046e7f1eff" +
        "000800145d0425a0207ab1e054102299aaf9839ca076c6d5" +
        "80280004360e219f");

    private readonly StunTransportAddress _browser = new([198, 51, 100, 9], 50000);
    private readonly StunTransportAddress _stranger = new([203, 0, 113, 77], 61000);
    private readonly PinnedPacketBufferPool _pool = new();
    private readonly DiscardingSender _sender = new();
    private readonly byte[] _rtp = new byte[1200];
    private byte[] _wrongPassword = [];
    private IceLiteServer _server = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = new IceLiteServer(_sender);
        _server.CreateAgent(IceCredentials.Create("p9KA", "xJcE9AQAR7kczUDVOXRUCl"), new ReleasingHandler(), remoteUfrag: "SQAt");
        _rtp[0] = 0x80;
        _rtp[1] = 96;
        _wrongPassword = (byte[])s_browserCheck.Clone();
        StunMessageIntegrity.TryAppend(_wrongPassword, _wrongPassword.Length - 32, "NotTheRightPasswordAtAll"u8, out int length);
        StunFingerprint.TryAppend(_wrongPassword, length, out _);

        Receive(s_browserCheck, _browser);
        if (AnswerBrowserCheck() != 2 || !LookUpSelectedAddress() || !_server.TryGetAgentByAddress(_browser, out _))
        {
            throw new InvalidOperationException("The benchmark's agent did not connect.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _server.Dispose();

    /// <summary>Read, find the agent by ufrag, HMAC check, refresh consent, write and "send" the success response.</summary>
    [Benchmark]
    public long AnswerBrowserCheck()
    {
        Receive(s_browserCheck, _browser);
        return _sender.Count;
    }

    /// <summary>Classify a 1200-byte RTP packet, find its agent by source address, hand it over.</summary>
    [Benchmark]
    public long RouteMediaBySourceAddress()
    {
        Receive(_rtp, _browser);
        return _server.Counters.DatagramsDelivered;
    }

    /// <summary>The address-table lookup alone.</summary>
    [Benchmark]
    public bool LookUpSelectedAddress() => _server.TryGetAgentByAddress(_browser, out _);

    /// <summary>What a forged check for a live ufrag costs before it is dropped unanswered.</summary>
    [Benchmark]
    public long DropWrongPassword()
    {
        Receive(_wrongPassword, _stranger);
        return _server.Counters.DroppedBadIntegrity;
    }

    private void Receive(byte[] datagram, StunTransportAddress source)
    {
        PacketLease lease = _pool.Rent();
        datagram.CopyTo(lease.Buffer);
        lease.SetLength(datagram.Length);
        _server.OnDatagram(lease, source);
    }

    private sealed class DiscardingSender : IDatagramSender
    {
        public long Count { get; private set; }

        public bool TrySend(ReadOnlySpan<byte> datagram, in StunTransportAddress destination)
        {
            Count++;
            return true;
        }
    }

    private sealed class ReleasingHandler : IIceLiteAgentHandler
    {
        public void OnDatagram(IceLiteAgent agent, PacketLease datagram, PacketKind kind) => datagram.Release();

        public void OnSelectedAddressChanged(IceLiteAgent agent, StunTransportAddress address)
        {
        }

        public void OnConsentLost(IceLiteAgent agent)
        {
        }
    }
}
