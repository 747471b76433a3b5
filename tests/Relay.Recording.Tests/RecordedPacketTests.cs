using Relay.Recording;

namespace Relay.Recording.Tests;

public sealed class RecordedPacketTests
{
    [Fact]
    public void A_recorded_packet_keeps_its_arrival_track_kind_and_bytes()
    {
        byte[] bytes = [0x80, 96, 0, 1];
        var packet = new RecordedPacket(1_700_000_000_000_000, 1, RecordedPacketKind.Rtp, bytes);

        Assert.Equal(1_700_000_000_000_000, packet.ArrivalMicroseconds);
        Assert.Equal(1, packet.TrackIndex);
        Assert.Equal(RecordedPacketKind.Rtp, packet.Kind);
        Assert.True(packet.Data.Span.SequenceEqual(bytes));
    }
}
