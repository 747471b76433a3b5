using System.Buffers.Binary;
using Relay.Media.Streams;
using Relay.Protocols.Buffers;
using Relay.Protocols.Rtp;
using Relay.Testing.Buffers;

namespace Relay.Media.Tests.Streams;

/// <summary>RTX (RFC 4588) wrapping for viewers and unwrapping of the publisher's retransmissions.</summary>
public class RtxPacketTests
{
    [Fact]
    public void Wrap_PutsTheOriginalSequenceNumberFirst_UnderTheRtxHeader_AndDropsPadding()
    {
        byte[] original = TestRtp.Packet(4242, timestamp: 9000, ssrc: 0xAAAA, payloadType: 100, marker: true, payload: [1, 2, 3, 4, 5]);
        var buffer = new byte[original.Length + 4 + 16];
        original.CopyTo(buffer, 0);
        // Padding of 4 bytes (the last one counts them), with the P bit set.
        buffer[0] |= 0x20;
        buffer[original.Length + 3] = 4;

        int length = RtxPacket.Wrap(buffer, original.Length + 4, 101, 0xBBBB, 7);

        Assert.True(RtpPacketReader.TryRead(buffer.AsSpan(0, length), out RtpPacketReader rtx));
        Assert.Equal(101, rtx.Header.PayloadType);
        Assert.Equal(0xBBBBu, rtx.Header.Ssrc);
        Assert.Equal(7, rtx.Header.SequenceNumber);
        Assert.Equal(9000u, rtx.Header.Timestamp);
        Assert.True(rtx.Header.Marker);
        Assert.False(rtx.Header.HasPadding);
        Assert.Equal([0x10, 0x92, 1, 2, 3, 4, 5], rtx.Payload.ToArray());
        Assert.True(rtx.TryGetExtension(3, out ReadOnlySpan<byte> extension));
        Assert.Equal([0x10, 0x92], extension.ToArray());
    }

    [Fact]
    public void TryUnwrap_RestoresTheOriginalPacket_AndRefusesPaddingOnlyRtx()
    {
        using var pool = new LeakCheckingPacketBufferPool();
        var track = new PublishedTrackState(StreamMedia.Video(), 0, 16, TimeProvider.System);
        byte[] original = TestRtp.Packet(500, timestamp: 3000, ssrc: StreamMedia.PublisherVideoSsrc, payloadType: StreamMedia.PublisherVideoPt, payload: [9, 8, 7]);
        var buffer = new byte[original.Length + 2];
        original.CopyTo(buffer, 0);
        int rtxLength = RtxPacket.Wrap(buffer, original.Length, StreamMedia.PublisherRtxPt, StreamMedia.PublisherRtxSsrc, 77);

        PacketLease lease = pool.Rent();
        buffer.AsSpan(0, rtxLength).CopyTo(lease.Buffer);
        lease.SetLength(rtxLength);
        Assert.True(RtxPacket.TryUnwrap(lease, track, out RtpPacketReader restored));
        Assert.Equal(original, lease.Span.ToArray());
        Assert.Equal([9, 8, 7], restored.Payload.ToArray());

        byte[] probe = TestRtp.Packet(78, ssrc: StreamMedia.PublisherRtxSsrc, payloadType: StreamMedia.PublisherRtxPt, payload: [0]);
        probe.CopyTo(lease.Buffer);
        lease.SetLength(probe.Length);
        Assert.False(RtxPacket.TryUnwrap(lease, track, out _));
        lease.Release();
        track.Dispose();
    }
}
