using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Relay.Protocols.Buffers;
using Relay.Protocols.Stun;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;
using Relay.Transport.Peers;
using Relay.Transport.Udp;

namespace Relay.Server.Tests.Signalling;

/// <summary>
/// A WebRTC peer in the client role, as a browser would be: its own UDP socket on 127.0.0.1 (from
/// <see cref="Connect"/> on; before, it only writes offers), an
/// offer built as text (VP8 with RTX, NACK, PLI and FIR), the relay's answer read for its ICE
/// credentials, fingerprint and loopback candidate, then ICE, DTLS and SRTP through the project's
/// client-role <see cref="PeerTransport"/>.
/// </summary>
internal sealed partial class TestWebRtcPeer : IPeerMediaHandler, IAsyncDisposable
{
    public const byte VideoPayloadType = 96;
    public const byte RtxPayloadType = 97;

    private static readonly Lazy<DtlsCertificate> s_certificate = new(() => DtlsCertificate.Generate("test-peer"));
    private static readonly Lazy<DtlsCertificate> s_otherCertificate = new(() => DtlsCertificate.Generate("someone-else"));

    private readonly PinnedPacketBufferPool _pool = new();
    private UdpMediaSocket? _socket;
    private readonly IceCredentials _local;
    private readonly CancellationTokenSource _stopPolling = new();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly uint _ssrc;
    private readonly uint _rtxSsrc;
    private readonly DtlsFingerprint? _announcedFingerprint;
    private Task _polling = Task.CompletedTask;
    private ushort _sequence;

    /// <param name="lieAboutFingerprint">Announce another certificate's fingerprint, so the relay's DTLS check of this peer fails.</param>
    public TestWebRtcPeer(bool lieAboutFingerprint = false)
    {
        _announcedFingerprint = lieAboutFingerprint ? s_otherCertificate.Value.Fingerprint : null;
        using var random = RandomNumberGenerator.Create();
        _local = IceCredentials.Generate(random);
        _ssrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
        _rtxSsrc = _ssrc + 1;
    }

    public PeerTransport? Transport { get; private set; }

    /// <summary>The plaintext RTP packets received.</summary>
    public ConcurrentQueue<byte[]> ReceivedRtp { get; } = new();

    public ConcurrentQueue<byte[]> ReceivedRtcp { get; } = new();

    /// <summary>A WHIP offer: one VP8 video section, sendonly, with its SSRCs.</summary>
    public string CreatePublishOffer() => CreateOffer("sendonly", includeSsrcs: true);

    /// <summary>A WHEP offer: one VP8 video section, recvonly.</summary>
    public string CreateViewOffer() => CreateOffer("recvonly", includeSsrcs: false);

    /// <summary>Reads the answer and starts ICE; DTLS follows.</summary>
    public void Connect(string answer)
    {
        string ufrag = Attribute(answer, "ice-ufrag");
        string password = Attribute(answer, "ice-pwd");
        DtlsFingerprint fingerprint = DtlsFingerprint.Parse(Attribute(answer, "fingerprint"));
        Match candidate = CandidatePattern().Match(answer);
        Assert.True(candidate.Success, "The answer has no host candidate on 127.0.0.1:\n" + answer);
        var relay = new IPEndPoint(IPAddress.Loopback, int.Parse(candidate.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        _socket = new UdpMediaSocket(new UdpMediaSocketOptions { Address = IPAddress.Loopback }, _pool);
        Transport = PeerTransport.CreateClient(
            _socket,
            StunTransportAddress.FromIPEndPoint(relay),
            _local,
            IceCredentials.Create(ufrag, password),
            new DtlsTransportOptions { Role = DtlsRole.Client, Certificate = s_certificate.Value, RemoteFingerprint = fingerprint },
            this);
        _socket.Start(Transport);
        Transport.Start();
        _polling = Task.Run(PollAsync);
    }

    public async Task WaitConnectedAsync()
    {
        Task done = await Task.WhenAny(_connected.Task, Task.Delay(TimeSpan.FromSeconds(15)));
        Assert.True(done == _connected.Task, $"The peer did not connect: {Transport?.State} {Transport?.Reason}");
        await _connected.Task;
    }

    /// <summary>Sends one VP8 keyframe packet (every packet starts a keyframe, so a viewer's gate opens at once); returns its payload.</summary>
    public byte[] SendKeyframePacket()
    {
        PeerTransport transport = Transport ?? throw new InvalidOperationException("Not connected.");
        byte[] payload = [0x10, 0x10, 0x00, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00, .. Encoding.ASCII.GetBytes($"frame {_sequence}")];
        Span<byte> buffer = stackalloc byte[12 + payload.Length + PeerTransport.MaxTrailerLength];
        buffer[0] = 0x80;
        buffer[1] = 0x80 | VideoPayloadType;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], _sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], _sequence * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], _ssrc);
        payload.CopyTo(buffer[12..]);
        _sequence++;
        transport.SendRtp(buffer, 12 + payload.Length);
        return payload;
    }

    /// <summary>Sends a generic NACK (RFC 4585 section 6.2.1) for <paramref name="sequence"/> of <paramref name="mediaSsrc"/>.</summary>
    public void SendNack(uint mediaSsrc, ushort sequence)
    {
        PeerTransport transport = Transport ?? throw new InvalidOperationException("Not connected.");
        Span<byte> buffer = stackalloc byte[16 + PeerTransport.MaxTrailerLength];
        buffer[0] = 0x81;
        buffer[1] = 205;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 3);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], _ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], mediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[12..], sequence);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[14..], 0);
        transport.SendRtcp(buffer, 16);
    }

    public void OnRtp(PeerTransport peer, PacketLease packet)
    {
        ReceivedRtp.Enqueue(packet.Span.ToArray());
        packet.Release();
    }

    public void OnRtcp(PeerTransport peer, PacketLease packet)
    {
        ReceivedRtcp.Enqueue(packet.Span.ToArray());
        packet.Release();
    }

    public void OnStateChanged(PeerTransport peer, PeerTransportState state)
    {
        if (state == PeerTransportState.Connected)
        {
            _connected.TrySetResult();
        }
        else if (state >= PeerTransportState.Failed)
        {
            _connected.TrySetException(new InvalidOperationException($"The peer transport {state}: {peer.Reason}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopPolling.CancelAsync();
        await _polling;
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }

        Transport?.Dispose();
        _stopPolling.Dispose();
    }

    private static string Attribute(string sdp, string name)
    {
        Match match = Regex.Match(sdp, $"^a={Regex.Escape(name)}:(.+?)\r?$", RegexOptions.Multiline);
        Assert.True(match.Success, $"The answer has no a={name}:\n{sdp}");
        return match.Groups[1].Value.Trim();
    }

    private string CreateOffer(string direction, bool includeSsrcs)
    {
        var sdp = new StringBuilder();
        void Line(string line) => sdp.Append(line).Append("\r\n");
        Line("v=0");
        Line("o=- 4611731400430051336 2 IN IP4 127.0.0.1");
        Line("s=-");
        Line("t=0 0");
        Line("a=group:BUNDLE 0");
        Line("a=msid-semantic: WMS test");
        Line($"m=video 9 UDP/TLS/RTP/SAVPF {VideoPayloadType} {RtxPayloadType}");
        Line("c=IN IP4 0.0.0.0");
        Line("a=rtcp:9 IN IP4 0.0.0.0");
        Line($"a=ice-ufrag:{_local.Ufrag}");
        Line($"a=ice-pwd:{_local.Password}");
        Line("a=ice-options:trickle");
        Line($"a=fingerprint:{_announcedFingerprint ?? s_certificate.Value.Fingerprint}");
        Line("a=setup:actpass");
        Line("a=mid:0");
        Line("a=" + direction);
        Line("a=rtcp-mux");
        Line("a=rtcp-rsize");
        Line($"a=rtpmap:{VideoPayloadType} VP8/90000");
        Line($"a=rtcp-fb:{VideoPayloadType} nack");
        Line($"a=rtcp-fb:{VideoPayloadType} nack pli");
        Line($"a=rtcp-fb:{VideoPayloadType} ccm fir");
        Line($"a=rtpmap:{RtxPayloadType} rtx/90000");
        Line($"a=fmtp:{RtxPayloadType} apt={VideoPayloadType}");
        if (includeSsrcs)
        {
            Line("a=msid:test camera");
            Line($"a=ssrc-group:FID {_ssrc} {_rtxSsrc}");
            Line($"a=ssrc:{_ssrc} cname:testpeer");
            Line($"a=ssrc:{_rtxSsrc} cname:testpeer");
        }

        return sdp.ToString();
    }

    private async Task PollAsync()
    {
        try
        {
            while (!_stopPolling.IsCancellationRequested)
            {
                Transport?.Poll(TimeProvider.System.GetTimestamp());
                await Task.Delay(10, _stopPolling.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [GeneratedRegex(@"^a=candidate:\S+ 1 (?:udp|UDP) \d+ 127\.0\.0\.1 (\d+) typ host", RegexOptions.Multiline)]
    private static partial Regex CandidatePattern();
}
