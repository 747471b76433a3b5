namespace Relay.Protocols.Rtcp;

/// <summary>
/// Appends RTCP packets one after another into a span the caller owns, making a compound datagram
/// (RFC 3550 section 6.1), for example SR + SDES CNAME, or RR + REMB.
/// </summary>
/// <remarks>
/// <code>
/// [--------- packet --------][---------- packet ----------][-packet-]
/// [SR #sendinfo #site1#site2][SDES #CNAME PHONE #CNAME LOC][BYE##why]
/// |&lt;----------------------- compound packet ---------------------&gt;|
/// </code>
/// RFC 3550 wants a full compound to start with an SR or RR and carry an SDES CNAME; reduced-size RTCP
/// (RFC 5506) sends a feedback packet alone. Which one to build is the caller's choice; this only packs.
/// <code>
/// var compound = new RtcpCompoundWriter(buffer);
/// if (compound.TryAdd(new SenderReportWriter(ssrc, info)) &amp;&amp; compound.TryAdd(new SourceDescriptionWriter(ssrc, cname)))
/// {
///     Send(buffer[..compound.Written]);
/// }
/// </code>
/// </remarks>
public ref struct RtcpCompoundWriter
{
    private readonly Span<byte> _destination;
    private int _written;

    public RtcpCompoundWriter(Span<byte> destination)
    {
        _destination = destination;
        _written = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Written => _written;

    /// <summary>Bytes still free in the destination.</summary>
    public readonly int Remaining => _destination.Length - _written;

    /// <summary>The compound written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _destination.Slice(0, _written);

    /// <summary>
    /// Appends one packet. Returns false, leaving the compound as it was, when the packet does not fit.
    /// </summary>
    /// <remarks>
    /// The writer is taken by value and <c>scoped</c> so it may hold spans of the caller's stack (a
    /// collection expression of report blocks, say) while the compound's buffer lives longer.
    /// </remarks>
    public bool TryAdd<TPacket>(scoped TPacket packet)
        where TPacket : IRtcpPacketWriter, allows ref struct
    {
        if (!packet.TryWrite(_destination.Slice(_written), out int written))
        {
            return false;
        }

        _written += written;
        return true;
    }
}
