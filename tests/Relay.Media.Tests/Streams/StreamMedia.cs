using System.Buffers.Binary;
using Relay.Media.Streams;
using Relay.Protocols.Rtcp;
using Relay.Protocols.Rtp;
using Relay.Protocols.Srtp;
using Relay.Transport.Peers;

namespace Relay.Media.Tests.Streams;

/// <summary>Tracks and packets of a VP8 + Opus publisher, and readers for what viewers receive.</summary>
internal static class StreamMedia
{
    public const uint PublisherVideoSsrc = 0x11110001;
    public const uint PublisherAudioSsrc = 0x11110002;
    public const uint PublisherRtxSsrc = 0x11110003;
    public const byte PublisherVideoPt = 96;
    public const byte PublisherRtxPt = 97;
    public const byte PublisherAudioPt = 111;

    public static PublishedTrack Video(uint? ssrc = PublisherVideoSsrc, bool nack = true) =>
        new(MediaTrackKind.Video, MediaCodec.Vp8, 90000, PublisherVideoPt, PublisherRtxPt, ssrc, PublisherRtxSsrc, "1", null, nack);

    public static PublishedTrack Audio(uint? ssrc = PublisherAudioSsrc) =>
        new(MediaTrackKind.Audio, MediaCodec.Opus, 48000, PublisherAudioPt, null, ssrc, null, "0", null);

    public static SubscribedTrack ViewerVideo(uint ssrc, byte payloadType = 100, uint? rtxSsrc = null, byte? rtxPayloadType = null) =>
        new(MediaTrackKind.Video, payloadType, rtxPayloadType, ssrc, rtxSsrc, Nack: true, Pli: true, Fir: true);

    public static SubscribedTrack ViewerAudio(uint ssrc, byte payloadType = 109) =>
        new(MediaTrackKind.Audio, payloadType, null, ssrc, null, Nack: false, Pli: false, Fir: false);

    /// <summary>A VP8 packet: a keyframe's first packet, or an inter frame's; the payload carries the sequence number.</summary>
    public static int WriteVp8(Span<byte> buffer, ushort sequence, uint timestamp, bool keyframe, uint ssrc = PublisherVideoSsrc, byte payloadType = PublisherVideoPt)
    {
        WriteHeader(buffer, sequence, timestamp, ssrc, payloadType);
        ReadOnlySpan<byte> head = keyframe
            ? [0x10, 0x50, 0x2C, 0x01, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]
            : [0x10, 0x51, 0x2C, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        head.CopyTo(buffer.Slice(12));
        for (int i = head.Length; i < 200; i++)
        {
            buffer[12 + i] = (byte)(sequence + i);
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(12 + head.Length), sequence);
        return 12 + 200;
    }

    public static int WriteOpus(Span<byte> buffer, ushort sequence, uint timestamp, uint ssrc = PublisherAudioSsrc)
    {
        WriteHeader(buffer, sequence, timestamp, ssrc, PublisherAudioPt);
        for (int i = 0; i < 80; i++)
        {
            buffer[12 + i] = (byte)(sequence * 7 + i);
        }

        return 12 + 80;
    }

    /// <summary>Sends RTP from a test peer, failing the test if it was refused.</summary>
    public static void Send(PeerTransport transport, Span<byte> buffer, int length) =>
        Assert.Equal(SrtpError.None, transport.SendRtp(buffer, length));

    public static RtpHeader Header(byte[] packet)
    {
        Assert.True(RtpHeader.TryRead(packet, out RtpHeader header));
        return header;
    }

    public static byte[] PayloadOf(byte[] packet)
    {
        Assert.True(RtpPacketReader.TryRead(packet, out RtpPacketReader reader));
        return reader.Payload.ToArray();
    }

    public static bool IsVp8Keyframe(byte[] packet) => Vp8PayloadDescriptor.IsKeyframeStart(PayloadOf(packet));

    /// <summary>Counts the PLIs (to <paramref name="mediaSsrc"/>) in RTCP compounds a peer received.</summary>
    public static int CountPlis(IEnumerable<byte[]> compounds, uint mediaSsrc)
    {
        int count = 0;
        foreach (byte[] compound in compounds)
        {
            var packets = new RtcpCompoundEnumerator(compound);
            while (packets.MoveNext())
            {
                if (PictureLossIndication.TryRead(packets.Current, out PictureLossIndication pli) && pli.MediaSsrc == mediaSsrc)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>The RTCP packets of one type in compounds a peer received, as copies.</summary>
    public static List<byte[]> PacketsOfType(IEnumerable<byte[]> compounds, RtcpPacketType type)
    {
        var found = new List<byte[]>();
        foreach (byte[] compound in compounds)
        {
            var packets = new RtcpCompoundEnumerator(compound);
            while (packets.MoveNext())
            {
                if (packets.Current.Type == type)
                {
                    found.Add(packets.Current.Data.ToArray());
                }
            }
        }

        return found;
    }

    public static int WritePli(Span<byte> buffer, uint senderSsrc, uint mediaSsrc)
    {
        Assert.True(new PictureLossIndication(senderSsrc, mediaSsrc).TryWrite(buffer, out int written));
        return written;
    }

    public static int WriteNack(Span<byte> buffer, uint senderSsrc, uint mediaSsrc, params ushort[] lost)
    {
        Assert.True(new GenericNackWriter(senderSsrc, mediaSsrc, lost).TryWrite(buffer, out int written));
        return written;
    }

    private static void WriteHeader(Span<byte> buffer, ushort sequence, uint timestamp, uint ssrc, byte payloadType)
    {
        buffer[0] = 0x80;
        buffer[1] = payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(8), ssrc);
    }
}
