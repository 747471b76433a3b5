using System.Buffers.Binary;

namespace Relay.Protocols.Rtcp;

/// <summary>
/// Reads an APP: application-defined packet (RFC 3550 section 6.7), packet type 204.
/// </summary>
/// <remarks>
/// <code>
///     0                   1                   2                   3
///     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |V=2|P| subtype |   PT=APP=204  |             length            |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                           SSRC/CSRC                           |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                          name (ASCII)                         |
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |                   application-dependent data                ...
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly ref struct ApplicationDefined
{
    private readonly ReadOnlySpan<byte> _payload;

    private ApplicationDefined(ReadOnlySpan<byte> payload, int subtype)
    {
        _payload = payload;
        Subtype = subtype;
    }

    /// <summary>The 5-bit subtype the application defines.</summary>
    public int Subtype { get; }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_payload);

    /// <summary>The four name octets, meant to be ASCII (not checked on reading).</summary>
    public ReadOnlySpan<byte> Name => _payload.Slice(4, 4);

    /// <summary>The application-dependent data, possibly empty.</summary>
    public ReadOnlySpan<byte> Data => _payload.Slice(8);

    /// <summary>Reads <paramref name="packet"/> as an APP. Returns false if it is another type or shorter than SSRC and name.</summary>
    public static bool TryRead(RtcpPacket packet, out ApplicationDefined application)
    {
        ReadOnlySpan<byte> payload = packet.Payload;
        if (packet.Type != RtcpPacketType.ApplicationDefined || payload.Length < 8)
        {
            application = default;
            return false;
        }

        application = new ApplicationDefined(payload, packet.Count);
        return true;
    }
}
