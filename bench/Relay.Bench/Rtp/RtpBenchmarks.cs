using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Relay.Protocols.Demux;
using Relay.Protocols.Rtp;

namespace Relay.Bench.Rtp;

/// <summary>
/// The per-packet RTP work of the relay on a ~1200-byte video packet shaped like Chrome's: one-byte
/// extensions abs-send-time (id 2), transport-wide-cc (id 3) and mid (id 4).
/// </summary>
public class RtpBenchmarks
{
    private static readonly byte[] s_unmap = [0, 4, 0, 2, 0, 3];

    private readonly byte[] _packet = new byte[1500];
    private readonly byte[] _remap = new byte[16];
    private int _length;
    private ushort _sequenceNumber;

    [GlobalSetup]
    public void Setup()
    {
        byte[] payload = new byte[1160];
        new Random(1).NextBytes(payload);
        var writer = new RtpPacketWriter
        {
            Marker = true,
            PayloadType = 96,
            SequenceNumber = 1000,
            Timestamp = 90000,
            Ssrc = 0x5EED1234,
            Payload = payload,
        };
        writer.AddExtension(2, [0x12, 0x34, 0x56]);
        writer.AddExtension(3, [0x00, 0x2A]);
        writer.AddExtension(4, "0"u8);
        if (!writer.TryWrite(_packet, out _length))
        {
            throw new InvalidOperationException("The benchmark packet did not fit.");
        }

        // Publisher ids 2, 3, 4 become the subscriber's 3, 5, 1.
        _remap[2] = 3;
        _remap[3] = 5;
        _remap[4] = 1;
    }

    [Benchmark]
    public int ParseAndWalkExtensions()
    {
        if (!RtpPacketReader.TryRead(_packet.AsSpan(0, _length), out RtpPacketReader packet))
        {
            return -1;
        }

        int sum = packet.Header.SequenceNumber + packet.Payload.Length;
        foreach (RtpExtensionElement element in packet.GetExtensions())
        {
            sum += element.Id + element.Data[0];
        }

        return sum;
    }

    [Benchmark]
    public bool RewriteHeader()
    {
        if (!RtpPacketRewriter.TryCreate(_packet.AsSpan(0, _length), out RtpPacketRewriter rewriter))
        {
            return false;
        }

        rewriter.SetSsrc(0xA1B2C3D4);
        rewriter.SetPayloadType(100);
        rewriter.SetSequenceNumber(++_sequenceNumber);
        rewriter.SetTimestamp(_sequenceNumber * 3000u);
        return true;
    }

    [Benchmark]
    public bool RewriteTransportSequenceAndExtensionIds()
    {
        if (!RtpPacketRewriter.TryCreate(_packet.AsSpan(0, _length), out RtpPacketRewriter rewriter)
            || !rewriter.TryGetExtensionValue(3, out Span<byte> transportSequence))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(transportSequence, ++_sequenceNumber);

        // Map the ids and straight back so every invocation sees the same packet.
        return rewriter.TryRemapExtensionIds(_remap) && rewriter.TryRemapExtensionIds(s_unmap);
    }

    [Benchmark]
    public PacketKind Classify() => PacketClassifier.Classify(_packet.AsSpan(0, _length));
}
