namespace Relay.Protocols.Rtcp;

/// <summary>
/// Walks the packets of a compound RTCP datagram (RFC 3550 section 6.1) without allocating.
/// </summary>
/// <remarks>
/// <code>
/// if encrypted: random 32-bit integer
/// |
/// |[--------- packet --------][---------- packet ----------][-packet-]
/// |
/// |                receiver            chunk        chunk
/// V                reports           item  item   item  item
/// --------------------------------------------------------------------
/// R[SR #sendinfo #site1#site2][SDES #CNAME PHONE #CNAME LOC][BYE##why]
/// --------------------------------------------------------------------
/// |                                                                  |
/// |&lt;-----------------------  compound packet ----------------------&gt;|
/// |&lt;--------------------------  UDP packet -------------------------&gt;|
/// </code>
/// Each packet's header is checked against the bytes that remain (see <see cref="RtcpPacket"/>). The
/// first malformed packet ends the walk: <see cref="MoveNext"/> returns false and <see cref="Error"/>
/// says why, so the caller can count the datagram and drop it. Use a <c>while</c> loop rather than
/// <c>foreach</c> so the error is still visible after the loop:
/// <code>
/// var packets = new RtcpCompoundEnumerator(datagram);
/// while (packets.MoveNext()) { Handle(packets.Current); }
/// if (packets.IsMalformed) { malformed.Add(1); }
/// </code>
/// Packets already handed out before the error were well formed; a caller that must not act on part of
/// a bad compound calls <see cref="Validate"/> first. By default a single feedback packet alone is
/// accepted (reduced-size RTCP, RFC 5506); pass <c>requireReport: true</c> to insist on the RFC 3550
/// rule that a compound starts with an SR or RR. The P bit is accepted on any packet, not only the last
/// as RFC 3550 expects: each packet's padding is checked against its own length.
/// </remarks>
public ref struct RtcpCompoundEnumerator
{
    private ReadOnlySpan<byte> _remaining;
    private RtcpPacket _current;
    private RtcpParseError _error;
    private int _packetCount;
    private readonly bool _requireReport;

    public RtcpCompoundEnumerator(ReadOnlySpan<byte> datagram, bool requireReport = false)
    {
        _remaining = datagram;
        _requireReport = requireReport;
        _current = default;
        _error = datagram.IsEmpty ? RtcpParseError.Empty : RtcpParseError.None;
        _packetCount = 0;
    }

    /// <summary>The packet <see cref="MoveNext"/> last moved to.</summary>
    public readonly RtcpPacket Current => _current;

    /// <summary>Why the walk stopped early, or <see cref="RtcpParseError.None"/>.</summary>
    public readonly RtcpParseError Error => _error;

    /// <summary>Whether the datagram was found malformed (so far: check after <see cref="MoveNext"/> returns false).</summary>
    public readonly bool IsMalformed => _error != RtcpParseError.None;

    /// <summary>Packets handed out so far.</summary>
    public readonly int PacketCount => _packetCount;

    /// <summary>Moves to the next packet. Returns false at the end of the datagram or at the first malformed packet.</summary>
    public bool MoveNext()
    {
        if (_remaining.IsEmpty)
        {
            return false;
        }

        RtcpParseError error = RtcpPacket.Read(_remaining, out RtcpPacket packet);
        if (error == RtcpParseError.None && _requireReport && _packetCount == 0
            && packet.Type is not (RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport))
        {
            error = RtcpParseError.MissingReport;
        }

        if (error != RtcpParseError.None)
        {
            _error = error;
            _remaining = default;
            _current = default;
            return false;
        }

        _current = packet;
        _remaining = _remaining.Slice(packet.Data.Length);
        _packetCount++;
        return true;
    }

    /// <summary>Walks the whole datagram and returns the first problem, or <see cref="RtcpParseError.None"/>.</summary>
    public static RtcpParseError Validate(ReadOnlySpan<byte> datagram, bool requireReport = false)
    {
        var packets = new RtcpCompoundEnumerator(datagram, requireReport);
        while (packets.MoveNext())
        {
        }

        return packets.Error;
    }
}
