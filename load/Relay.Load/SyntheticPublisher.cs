using System.Buffers.Binary;
using System.Diagnostics;
using Relay.Protocols.Buffers;
using Relay.Protocols.Rtcp;
using Relay.Transport.Dtls;
using Relay.Transport.Peers;

namespace Relay.Load;

/// <summary>
/// A caller's phone as the relay sees it: VP8 frames at a set bitrate and frame rate, split into RTP
/// packets of at most <see cref="MaxPayload"/> bytes. The first frame, and the next after a PLI or
/// FIR, is a keyframe. Every packet ends with the time it was sent (Stopwatch ticks), so a viewer in
/// the same process can measure how long the relay took to forward it.
/// </summary>
internal sealed class SyntheticPublisher(DtlsCertificate certificate, PacketBufferPool pool, uint ssrc) : SyntheticPeer(certificate, pool)
{
    public const int MaxPayload = 1100;
    private const int SendTimeLength = 8;

    // RFC 7741 payload descriptor (S = 1, PID 0), then a keyframe's 10-byte header: the frame tag
    // (show_frame, key frame), first partition size, the start code 9D 01 2A, 640x480.
    private static readonly byte[] s_keyframeStart = [0x10, 0x10, 0x00, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01];
    private static readonly byte[] s_interframeStart = [0x10, 0x11, 0x00, 0x00];
    private static readonly byte[] s_continuation = [0x00];

    private readonly byte[] _buffer = new byte[1500];
    private ushort _sequence = (ushort)Random.Shared.Next();
    private uint _timestamp = (uint)Random.Shared.Next();
    private volatile bool _keyframeRequested = true;

    public uint Ssrc { get; } = ssrc;

    public long PacketsSent { get; private set; }

    public long KeyframesSent { get; private set; }

    public long KeyframeRequests { get; private set; }

    public long NacksReceived { get; private set; }

    /// <summary>Sends one frame of <paramref name="frameBytes"/> bytes; the RTP timestamp advances by <paramref name="timestampStep"/>.</summary>
    public void SendFrame(int frameBytes, uint timestampStep)
    {
        PeerTransport transport = Transport!;
        bool keyframe = _keyframeRequested;
        _keyframeRequested = false;
        if (keyframe)
        {
            KeyframesSent++;
        }

        int remaining = Math.Max(frameBytes, MaxPayload / 4);
        bool first = true;
        while (remaining > 0)
        {
            byte[] start = first ? (keyframe ? s_keyframeStart : s_interframeStart) : s_continuation;
            int payload = Math.Min(remaining, MaxPayload);
            payload = Math.Max(payload, start.Length + SendTimeLength);
            remaining -= payload;
            bool last = remaining <= 0;

            Span<byte> packet = _buffer.AsSpan(0, 12 + payload);
            packet[0] = 0x80;
            packet[1] = (byte)((last ? 0x80 : 0) | OfferBuilder.Vp8PayloadType);
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], _sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(packet[4..], _timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(packet[8..], Ssrc);
            start.CopyTo(packet[12..]);
            BinaryPrimitives.WriteInt64LittleEndian(packet[^SendTimeLength..], Stopwatch.GetTimestamp());
            if (transport.SendRtp(_buffer, packet.Length) == Protocols.Srtp.SrtpError.None)
            {
                PacketsSent++;
            }

            first = false;
        }

        _timestamp += timestampStep;
    }

    /// <summary>Reads the send time a publisher wrote at the end of an RTP payload.</summary>
    public static long ReadSendTime(ReadOnlySpan<byte> packet) =>
        packet.Length >= 12 + SendTimeLength ? BinaryPrimitives.ReadInt64LittleEndian(packet[^SendTimeLength..]) : 0;

    public override void OnRtp(PeerTransport peer, PacketLease packet) => packet.Release();

    public override void OnRtcp(PeerTransport peer, PacketLease packet)
    {
        var packets = new RtcpCompoundEnumerator(packet.Span);
        while (packets.MoveNext())
        {
            RtcpPacket rtcp = packets.Current;
            if (PictureLossIndication.TryRead(rtcp, out _) || FullIntraRequest.TryRead(rtcp, out _))
            {
                KeyframeRequests++;
                _keyframeRequested = true;
            }
            else if (GenericNack.TryRead(rtcp, out _))
            {
                NacksReceived++;
            }
        }

        packet.Release();
    }
}
