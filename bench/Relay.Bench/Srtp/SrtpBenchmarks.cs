using System.Buffers.Binary;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Relay.Protocols.Srtp;

namespace Relay.Bench.Srtp;

/// <summary>
/// SRTP protect and unprotect of a 1200-byte RTP packet (12-byte header, 1188-byte payload, the size
/// of a typical video packet) per profile, against the fastest AES-GCM this machine does:
/// <see cref="AesGcm.Encrypt(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, Span{byte}, ReadOnlySpan{byte})"/>
/// alone on the same 1200 bytes with a 12-byte nonce and AAD and a 16-byte tag. That is the baseline,
/// so the Ratio column reads as "times the cost of bare AES-GCM".
/// </summary>
/// <remarks>
/// Unprotect cannot simply run on one packet over and over: the second run is a replay and would
/// measure the cheap refusal. Nor should it re-protect inside the measured operation. So
/// <see cref="Setup"/> protects <see cref="RingLength"/> consecutive packets once, and each
/// <see cref="Unprotect"/> copies the next one into a work buffer (about 1.2 KB, tens of
/// nanoseconds, which a receive path has too) and unprotects it: every packet is new to the
/// receiver and goes through estimation, the replay check, full verification and decryption. When
/// the ring wraps, the SSRC is removed from the receiver, so the first packet starts a fresh stream
/// instead of being refused as a replay; that costs one table insert per <see cref="RingLength"/>
/// packets. <see cref="ProtectThenUnprotect"/> measures the pair on one buffer with no copy and
/// no ring, a cross-check: it should come to about Protect plus Unprotect.
/// Protect re-encrypts its buffer in place with a fresh sequence number each time (the rollover
/// counter advances every 65536 calls, as in a real stream); the cost does not depend on the bytes.
/// </remarks>
public class SrtpBenchmarks
{
    private const int PacketLength = 1200;
    private const int RingLength = 1024;
    private const uint Ssrc = 0x5EED_0001;

    private SrtpSession _protector = null!;
    private byte[] _protectBuffer = null!;
    private ushort _protectSequence;

    private SrtpSession _receiver = null!;
    private byte[][] _ring = null!;
    private byte[] _work = null!;
    private int _ringPosition;

    private SrtpSession _pairSender = null!;
    private SrtpSession _pairReceiver = null!;
    private byte[] _pairBuffer = null!;
    private ushort _pairSequence;

    private AesGcm _referenceGcm = null!;
    private byte[] _referenceNonce = null!;
    private byte[] _referenceAad = null!;
    private byte[] _referencePayload = null!;
    private byte[] _referenceTag = null!;

    // Counts refused packets, which would mean the numbers measured the wrong path; checked at cleanup.
    private int _failures;

    [Params(SrtpProfile.AesCm128HmacSha1Tag80, SrtpProfile.AesCm128HmacSha1Tag32, SrtpProfile.AeadAes128Gcm, SrtpProfile.AeadAes256Gcm)]
    public SrtpProfile Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] masterKey = Enumerable.Range(1, Profile.MasterKeyLength).Select(i => (byte)i).ToArray();
        byte[] masterSalt = Enumerable.Range(101, Profile.MasterSaltLength).Select(i => (byte)i).ToArray();
        int capacity = PacketLength + Profile.RtpTagLength;

        _protector = new SrtpSession(Profile, masterKey, masterSalt);
        _protectBuffer = Packet(0, capacity);

        using (var ringSender = new SrtpSession(Profile, masterKey, masterSalt))
        {
            _ring = new byte[RingLength][];
            for (int i = 0; i < RingLength; i++)
            {
                _ring[i] = Packet((ushort)i, capacity);
                Check(ringSender.ProtectRtp(_ring[i], PacketLength, out _));
            }
        }

        _receiver = new SrtpSession(Profile, masterKey, masterSalt);
        _work = new byte[capacity];

        _pairSender = new SrtpSession(Profile, masterKey, masterSalt);
        _pairReceiver = new SrtpSession(Profile, masterKey, masterSalt);
        _pairBuffer = Packet(0, capacity);

        _referenceGcm = new AesGcm(masterKey.AsSpan(0, 16), 16);
        _referenceNonce = new byte[12];
        _referenceAad = _protectBuffer[..12];
        _referencePayload = new byte[PacketLength];
        _referenceTag = new byte[16];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_failures != 0)
        {
            throw new InvalidOperationException($"{_failures} packets were refused during the run; the results measured refusals.");
        }

        _protector.Dispose();
        _receiver.Dispose();
        _pairSender.Dispose();
        _pairReceiver.Dispose();
        _referenceGcm.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte AesGcmEncryptReference()
    {
        _referenceGcm.Encrypt(_referenceNonce, _referencePayload, _referencePayload, _referenceTag, _referenceAad);
        return _referenceTag[0];
    }

    [Benchmark]
    public SrtpError Protect()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_protectBuffer.AsSpan(2), _protectSequence++);
        return Count(_protector.ProtectRtp(_protectBuffer, PacketLength, out _));
    }

    [Benchmark]
    public SrtpError Unprotect()
    {
        if (_ringPosition == RingLength)
        {
            _ringPosition = 0;
            _receiver.RemoveSsrc(Ssrc);
        }

        byte[] packet = _ring[_ringPosition++];
        packet.CopyTo(_work, 0);
        return Count(_receiver.UnprotectRtp(_work, out _));
    }

    [Benchmark]
    public SrtpError ProtectThenUnprotect()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_pairBuffer.AsSpan(2), _pairSequence++);
        SrtpError error = _pairSender.ProtectRtp(_pairBuffer, PacketLength, out int protectedLength);
        return Count(error != SrtpError.None ? error : _pairReceiver.UnprotectRtp(_pairBuffer.AsSpan(0, protectedLength), out _));
    }

    private SrtpError Count(SrtpError error)
    {
        if (error != SrtpError.None)
        {
            _failures++;
        }

        return error;
    }

    private static byte[] Packet(ushort sequenceNumber, int capacity)
    {
        var packet = new byte[capacity];
        packet[0] = 0x80;
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 90_000);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), Ssrc);
        for (int i = 12; i < PacketLength; i++)
        {
            packet[i] = (byte)i;
        }

        return packet;
    }

    private static void Check(SrtpError error)
    {
        if (error != SrtpError.None)
        {
            throw new InvalidOperationException($"Benchmark setup failed: {error}.");
        }
    }
}
