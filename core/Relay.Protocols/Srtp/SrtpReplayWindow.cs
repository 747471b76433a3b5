namespace Relay.Protocols.Srtp;

/// <summary>
/// The highest packet index seen on a stream and a bitmap of the <see cref="Size"/> indices at and
/// below it (RFC 3711 section 3.3.2). Used for SRTP's 48-bit index and SRTCP's 31-bit index, on the
/// receiving side to refuse replays and on the sending side to refuse reusing an index, which for
/// GCM would reuse a nonce.
/// </summary>
/// <remarks>
/// <see cref="Check"/> only reads; <see cref="Accept"/> is called once the packet has authenticated
/// (or, when sending, has been protected), so a forged packet never moves the window.
/// </remarks>
internal struct SrtpReplayWindow
{
    /// <summary>Indices remembered below and including the highest.</summary>
    public const int Size = 128;

    private UInt128 _seen;
    private ulong _highest;
    private bool _started;

    /// <summary>Whether any index has been accepted.</summary>
    public readonly bool IsStarted => _started;

    /// <summary>The highest accepted index; meaningful once <see cref="IsStarted"/>.</summary>
    public readonly ulong Highest => _highest;

    /// <summary>Whether <paramref name="index"/> may be accepted: new, or inside the window and not yet seen.</summary>
    public readonly SrtpError Check(ulong index)
    {
        if (!_started || index > _highest)
        {
            return SrtpError.None;
        }

        ulong distance = _highest - index;
        if (distance >= Size)
        {
            return SrtpError.TooOld;
        }

        return ((_seen >> (int)distance) & UInt128.One) != UInt128.Zero ? SrtpError.Replayed : SrtpError.None;
    }

    /// <summary>Records <paramref name="index"/>, which <see cref="Check"/> must have allowed.</summary>
    public void Accept(ulong index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _seen = UInt128.One;
        }
        else if (index > _highest)
        {
            ulong shift = index - _highest;
            _seen = shift >= Size ? UInt128.One : (_seen << (int)shift) | UInt128.One;
            _highest = index;
        }
        else
        {
            _seen |= UInt128.One << (int)(_highest - index);
        }
    }
}
