namespace Relay.Protocols.Tests.Rtp;

/// <summary>Known packets, each written out byte for byte with where it comes from.</summary>
internal static class RtpTestPackets
{
    /// <summary>RFC 9335 Appendix A.1, "RTP Packet with 1-byte header extension" (plaintext).</summary>
    public static byte[] Rfc9335OneByte => Hex(
        "900f1235 decafbad cafebabe bede0001 51000200 abababab abababab abababab abababab");

    /// <summary>RFC 9335 Appendix A.1, "RTP Packet with 2-byte header extension" (plaintext).</summary>
    public static byte[] Rfc9335TwoByte => Hex(
        "900f1236 decafbad cafebabe 10000001 05020002 abababab abababab abababab abababab");

    /// <summary>RFC 9335 Appendix A.1, "RTP Packet with 1-byte header extension and CSRC fields".</summary>
    public static byte[] Rfc9335OneByteWithCsrcs => Hex(
        "920f1238 decafbad cafebabe 0001e240 0000b26e bede0001 51000200 abababab abababab abababab abababab");

    /// <summary>RFC 9335 Appendix A.1, "RTP Packet with 2-byte header extension and CSRC fields".</summary>
    public static byte[] Rfc9335TwoByteWithCsrcs => Hex(
        "920f1239 decafbad cafebabe 0001e240 0000b26e 10000001 05020002 abababab abababab abababab abababab");

    /// <summary>RFC 9335 Appendix A.1, "RTP Packet with empty 1-byte header extension and CSRC fields".</summary>
    public static byte[] Rfc9335EmptyOneByteWithCsrcs => Hex(
        "920f123a decafbad cafebabe 0001e240 0000b26e bede0000 abababab abababab abababab abababab");

    /// <summary>RFC 9335 Appendix A.1, "RTP Packet with empty 2-byte header extension and CSRC fields".</summary>
    public static byte[] Rfc9335EmptyTwoByteWithCsrcs => Hex(
        "920f123b decafbad cafebabe 0001e240 0000b26e 10000000 abababab abababab abababab abababab");

    /// <summary>
    /// A video packet shaped like Chrome's: one-byte extensions abs-send-time (id 2, 3 bytes) and
    /// transport-wide-cc (id 3, 2 bytes), one zero byte padding the block to 8 bytes, a 5-byte
    /// payload and 3 bytes of RTP padding.
    /// </summary>
    public static byte[] ChromeVideo => Hex(
        "b0e0 1234"         // V=2 P=1 X=1 CC=0 | M=1 PT=96 | seq 0x1234
        + "00015f90"        // timestamp 90000
        + "5eed1234"        // SSRC
        + "bede 0002"       // one-byte profile, 2 words follow
        + "22 123456"       // id 2, L=2 (3 bytes): abs-send-time
        + "31 002a"         // id 3, L=1 (2 bytes): transport-wide sequence number 42
        + "00"              // block padding
        + "1002030405"      // payload
        + "000003");        // RTP padding, count 3

    /// <summary>The SSRC, abs-send-time and transport-cc values written into <see cref="ChromeVideo"/>.</summary>
    public const uint ChromeVideoSsrc = 0x5EED1234;

    /// <summary>
    /// A two-byte extension packet: app bits 3, id 16 with no data (which the one-byte form cannot
    /// carry), a padding byte between elements, id 1 with "hello", two bytes of block padding, and an
    /// Opus-like 3-byte payload.
    /// </summary>
    public static byte[] TwoByteAudio => Hex(
        "906f 0007"         // V=2 X=1 | M=0 PT=111 | seq 7
        + "000003c0"        // timestamp 960
        + "11223344"        // SSRC
        + "1003 0003"       // two-byte profile, app bits 3, 3 words follow
        + "10 00"           // id 16, length 0
        + "00"              // padding between elements
        + "01 05 68656c6c6f" // id 1, length 5, "hello"
        + "0000"            // block padding
        + "f8fffe");        // payload

    /// <summary>All the valid packets above, for tests that run over every one.</summary>
    public static IEnumerable<byte[]> All()
    {
        yield return Rfc9335OneByte;
        yield return Rfc9335TwoByte;
        yield return Rfc9335OneByteWithCsrcs;
        yield return Rfc9335TwoByteWithCsrcs;
        yield return Rfc9335EmptyOneByteWithCsrcs;
        yield return Rfc9335EmptyTwoByteWithCsrcs;
        yield return ChromeVideo;
        yield return TwoByteAudio;
    }

    public static TheoryData<string> Names() =>
    [
        nameof(Rfc9335OneByte),
        nameof(Rfc9335TwoByte),
        nameof(Rfc9335OneByteWithCsrcs),
        nameof(Rfc9335TwoByteWithCsrcs),
        nameof(Rfc9335EmptyOneByteWithCsrcs),
        nameof(Rfc9335EmptyTwoByteWithCsrcs),
        nameof(ChromeVideo),
        nameof(TwoByteAudio),
    ];

    public static byte[] ByName(string name) => name switch
    {
        nameof(Rfc9335OneByte) => Rfc9335OneByte,
        nameof(Rfc9335TwoByte) => Rfc9335TwoByte,
        nameof(Rfc9335OneByteWithCsrcs) => Rfc9335OneByteWithCsrcs,
        nameof(Rfc9335TwoByteWithCsrcs) => Rfc9335TwoByteWithCsrcs,
        nameof(Rfc9335EmptyOneByteWithCsrcs) => Rfc9335EmptyOneByteWithCsrcs,
        nameof(Rfc9335EmptyTwoByteWithCsrcs) => Rfc9335EmptyTwoByteWithCsrcs,
        nameof(ChromeVideo) => ChromeVideo,
        nameof(TwoByteAudio) => TwoByteAudio,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Indexes where two equal-length buffers differ.</summary>
    public static List<int> Differences(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after)
    {
        Assert.Equal(before.Length, after.Length);
        var differences = new List<int>();
        for (int i = 0; i < before.Length; i++)
        {
            if (before[i] != after[i])
            {
                differences.Add(i);
            }
        }

        return differences;
    }
}
