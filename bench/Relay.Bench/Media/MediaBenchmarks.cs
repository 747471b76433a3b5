using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Relay.Media;
using Relay.Protocols.Buffers;
using Relay.Protocols.Rtp;

namespace Relay.Bench.Media;

/// <summary>
/// The per-packet media work of the fan-out on ~1200-byte video packets: sequence rewriting for one
/// subscriber, the NACK cache, NACK generation on a lossy stream, and keyframe checks.
/// </summary>
public class MediaBenchmarks
{
    private const int PacketLength = 1200;
    private const int CacheCapacity = 512;

    private readonly byte[] _publisherPacket = new byte[1500];
    private readonly byte[] _subscriberPacket = new byte[1500];
    private readonly byte[] _vp8Payload = new byte[PacketLength - 20];
    private readonly byte[] _h264Payload = new byte[PacketLength - 20];
    private readonly ushort[] _nacks = new ushort[64];
    private readonly bool[] _lost = new bool[4096];

    private OutboundSequencer _sequencer = null!;
    private PinnedPacketBufferPool _pool = null!;
    private PacketCache _cache = null!;
    private NackGenerator _nackGenerator = null!;
    private int _length;
    private ushort _publisherSequence;
    private ushort _cacheSequence;
    private ushort _receiveSequence;
    private long _now;
    private int _receiveIndex;

    [GlobalSetup]
    public void Setup()
    {
        TimeProvider time = TimeProvider.System;
        byte[] payload = new byte[PacketLength - 40];
        new Random(1).NextBytes(payload);
        var writer = new RtpPacketWriter
        {
            PayloadType = 96,
            SequenceNumber = 1000,
            Timestamp = 90000,
            Ssrc = 0x5EED1234,
            Payload = payload,
        };
        writer.AddExtension(2, [0x12, 0x34, 0x56]);
        writer.AddExtension(3, [0x00, 0x2A]);
        writer.AddExtension(4, "0"u8);
        if (!writer.TryWrite(_publisherPacket, out _length))
        {
            throw new InvalidOperationException("The benchmark packet did not fit.");
        }

        _sequencer = new OutboundSequencer(time, 0xA1B2C3D4, 100, 90000, new Random(2));

        // Fill the pool's blocks with the packet once; rents reuse them, as a receive loop would.
        _pool = new PinnedPacketBufferPool(blocksPerSlab: 1024);
        var warm = new PacketLease[CacheCapacity + 64];
        for (int i = 0; i < warm.Length; i++)
        {
            warm[i] = _pool.Rent();
            _publisherPacket.AsSpan(0, _length).CopyTo(warm[i].Buffer);
        }

        foreach (PacketLease lease in warm)
        {
            lease.Release();
        }

        _cache = new PacketCache(CacheCapacity);
        for (int i = 0; i < CacheCapacity; i++)
        {
            AddToCache();
        }

        // 1% loss, seeded; the generator is polled as an RTCP timer would be, every 10 packets.
        _nackGenerator = new NackGenerator(time);
        var random = new Random(3);
        for (int i = 0; i < _lost.Length; i++)
        {
            _lost[i] = random.Next(100) == 0;
        }

        _now = time.GetTimestamp();

        // Chrome's VP8 keyframe start: X, I (15-bit picture id), L, T, then a frame tag with P = 0.
        new Random(4).NextBytes(_vp8Payload);
        ReadOnlySpan<byte> vp8Head = [0x90, 0xE0, 0x81, 0x23, 0x45, 0x20, 0x50, 0x2C, 0x01, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01];
        vp8Head.CopyTo(_vp8Payload);

        // A STAP-A with SPS and PPS, then the rest of the packet as the start of an IDR slice.
        new Random(5).NextBytes(_h264Payload);
        ReadOnlySpan<byte> h264Head = [0x78, 0x00, 0x08, 0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0x00, 0x04, 0x68, 0xCE, 0x3C, 0x80];
        h264Head.CopyTo(_h264Payload);
        int idrLength = _h264Payload.Length - h264Head.Length - 2;
        BinaryPrimitives.WriteUInt16BigEndian(_h264Payload.AsSpan(h264Head.Length), (ushort)idrLength);
        _h264Payload[h264Head.Length + 2] = 0x65;

        if (Vp8KeyframeCheck() != KeyframeStatus.KeyframeStart || H264KeyframeCheck() != KeyframeStatus.KeyframeStart || !SequencerRewrite())
        {
            throw new InvalidOperationException("The benchmark packets do not exercise the paths they are meant to.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Dispose();

    /// <summary>The fan-out's copy of a 1200-byte publisher packet, rewritten for one subscriber.</summary>
    [Benchmark]
    public bool SequencerRewrite()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_publisherPacket.AsSpan(2), ++_publisherSequence);
        Span<byte> packet = _subscriberPacket.AsSpan(0, _length);
        _publisherPacket.AsSpan(0, _length).CopyTo(packet);
        return _sequencer.TryRewrite(packet, _now);
    }

    /// <summary>A received packet rented, added to a full 512-packet cache (evicting the oldest) and released by the receiver.</summary>
    [Benchmark]
    public PacketCacheAddResult PacketCacheAddAndEvict() => AddToCache();

    /// <summary>One received packet of a stream with 1% loss; every tenth also collects the NACKs due.</summary>
    [Benchmark]
    public int NackGeneratorOnePercentLoss()
    {
        int index = _receiveIndex++ & (_lost.Length - 1);
        ushort sequenceNumber = _receiveSequence++;
        _now += 1_000_000;
        int result = _lost[index] ? 0 : (int)_nackGenerator.OnPacketReceived(sequenceNumber, _now);
        if (index % 10 == 0)
        {
            result += _nackGenerator.CollectNacks(_now, _nacks);
        }

        return result;
    }

    /// <summary>Whether the first packet of a VP8 keyframe starts one (descriptor, frame tag, start code).</summary>
    [Benchmark]
    public KeyframeStatus Vp8KeyframeCheck() => VideoPayload.GetKeyframeStatus(VideoCodec.Vp8, _vp8Payload);

    /// <summary>Whether a STAP-A of SPS, PPS and an IDR slice starts a keyframe (walks every unit).</summary>
    [Benchmark]
    public KeyframeStatus H264KeyframeCheck() => VideoPayload.GetKeyframeStatus(VideoCodec.H264, _h264Payload);

    private PacketCacheAddResult AddToCache()
    {
        PacketLease lease = _pool.Rent();
        lease.SetLength(_length);
        BinaryPrimitives.WriteUInt16BigEndian(lease.Span.Slice(2), _cacheSequence++);
        PacketCacheAddResult result = _cache.Add(lease);
        lease.Release();
        return result;
    }
}
