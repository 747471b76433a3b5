using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Relay.Protocols.Stun;

/// <summary>
/// A STUN message read in place (RFC 8489 section 5): header checks and one pass over the
/// attributes that checks every length and notes where the attributes ICE needs are.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                     Transaction ID (96 bits)                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
///  Message Type:   0                 1
///                  2  3  4 5 6 7 8 9 0 1 2 3 4 5
///                 +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///                 |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
///                 |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
///                 +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Message Length counts the attributes after the header, always a multiple of 4, and must match
/// the datagram exactly. Attributes (see <see cref="StunAttribute"/>) follow. Of repeated attributes
/// the first counts. Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored and not
/// even validated (RFC 8489 section 14.5); FINGERPRINT must be last (section 14.7). Unknown
/// comprehension-optional attributes are skipped; unknown comprehension-required ones are counted
/// so the caller can answer 420 (section 6.3.1). The ICE attributes (RFC 8445 section 7.1) have
/// fixed sizes, checked here: PRIORITY a 32-bit value, USE-CANDIDATE empty, ICE-CONTROLLING and
/// ICE-CONTROLLED a 64-bit tie breaker.
/// </remarks>
public readonly ref struct StunMessageReader
{
    /// <summary>Bytes in the header.</summary>
    public const int HeaderLength = 20;

    /// <summary>The fixed value in bytes 4 to 7 that tells STUN (RFC 8489) apart from RFC 3489 and other protocols.</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>Bytes in a transaction id.</summary>
    public const int TransactionIdLength = 12;

    private readonly ReadOnlySpan<byte> _message;
    private readonly int _usernameOffset;
    private readonly int _usernameLength;
    private readonly int _integrityOffset;
    private readonly int _fingerprintOffset;
    private readonly int _xorMappedAddressOffset;
    private readonly int _errorCodeOffset;
    private readonly int _errorCodeLength;
    private readonly int _unknownComprehensionRequiredCount;
    private readonly uint _priority;
    private readonly ulong _controllingTieBreaker;
    private readonly ulong _controlledTieBreaker;
    private readonly Flags _flags;

    private StunMessageReader(
        ReadOnlySpan<byte> message,
        int usernameOffset,
        int usernameLength,
        int integrityOffset,
        int fingerprintOffset,
        int xorMappedAddressOffset,
        int errorCodeOffset,
        int errorCodeLength,
        int unknownComprehensionRequiredCount,
        uint priority,
        ulong controllingTieBreaker,
        ulong controlledTieBreaker,
        Flags flags)
    {
        _message = message;
        _usernameOffset = usernameOffset;
        _usernameLength = usernameLength;
        _integrityOffset = integrityOffset;
        _fingerprintOffset = fingerprintOffset;
        _xorMappedAddressOffset = xorMappedAddressOffset;
        _errorCodeOffset = errorCodeOffset;
        _errorCodeLength = errorCodeLength;
        _unknownComprehensionRequiredCount = unknownComprehensionRequiredCount;
        _priority = priority;
        _controllingTieBreaker = controllingTieBreaker;
        _controlledTieBreaker = controlledTieBreaker;
        _flags = flags;
    }

    [Flags]
    private enum Flags : byte
    {
        None = 0,
        Priority = 1,
        UseCandidate = 2,
        IceControlling = 4,
        IceControlled = 8,
    }

    /// <summary>The whole message, header included.</summary>
    public ReadOnlySpan<byte> Message => _message;

    /// <summary>The raw 14-bit message type.</summary>
    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_message);

    public StunClass Class => (StunClass)(((MessageType >> 7) & 0x2) | ((MessageType >> 4) & 0x1));

    public StunMethod Method
    {
        get
        {
            int type = MessageType;
            return (StunMethod)((type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80));
        }
    }

    public ReadOnlySpan<byte> TransactionId => _message.Slice(8, TransactionIdLength);

    public bool HasUsername => _usernameOffset != 0;

    /// <summary>The USERNAME value (RFC 8489 section 14.3), empty if absent.</summary>
    public ReadOnlySpan<byte> Username => _message.Slice(_usernameOffset, _usernameLength);

    public bool HasPriority => (_flags & Flags.Priority) != 0;

    /// <summary>The PRIORITY value (RFC 8445 section 7.1.1), 0 if absent.</summary>
    public uint Priority => _priority;

    /// <summary>Whether USE-CANDIDATE is present (RFC 8445 section 7.1.2).</summary>
    public bool UseCandidate => (_flags & Flags.UseCandidate) != 0;

    public bool HasIceControlling => (_flags & Flags.IceControlling) != 0;

    /// <summary>The tie breaker of ICE-CONTROLLING (RFC 8445 section 7.1.3), 0 if absent.</summary>
    public ulong IceControllingTieBreaker => _controllingTieBreaker;

    public bool HasIceControlled => (_flags & Flags.IceControlled) != 0;

    /// <summary>The tie breaker of ICE-CONTROLLED (RFC 8445 section 7.1.3), 0 if absent.</summary>
    public ulong IceControlledTieBreaker => _controlledTieBreaker;

    public bool HasMessageIntegrity => _integrityOffset != 0;

    public bool HasFingerprint => _fingerprintOffset != 0;

    public bool HasXorMappedAddress => _xorMappedAddressOffset != 0;

    public bool HasErrorCode => _errorCodeOffset != 0;

    /// <summary>
    /// How many comprehension-required attributes before MESSAGE-INTEGRITY this reader does not
    /// understand. A request with any must be answered with 420 listing them
    /// (<see cref="CopyUnknownComprehensionRequired"/>).
    /// </summary>
    public int UnknownComprehensionRequiredCount => _unknownComprehensionRequiredCount;

    /// <summary>
    /// Reads and checks a STUN message that fills <paramref name="packet"/> exactly. Never throws for
    /// bad bytes; on failure <paramref name="message"/> is default.
    /// </summary>
    public static StunReadError Read(ReadOnlySpan<byte> packet, out StunMessageReader message)
    {
        message = default;
        if (packet.Length < HeaderLength)
        {
            return StunReadError.TooShort;
        }

        if ((packet[0] & 0xC0) != 0)
        {
            return StunReadError.NotStun;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4)) != MagicCookie)
        {
            return StunReadError.BadMagicCookie;
        }

        int declared = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2));
        if ((declared & 3) != 0 || declared != packet.Length - HeaderLength)
        {
            return StunReadError.BadLength;
        }

        int usernameOffset = 0;
        int usernameLength = 0;
        int integrityOffset = 0;
        int fingerprintOffset = 0;
        int xorMappedAddressOffset = 0;
        int errorCodeOffset = 0;
        int errorCodeLength = 0;
        int unknownCount = 0;
        uint priority = 0;
        ulong controlling = 0;
        ulong controlled = 0;
        Flags flags = Flags.None;

        int offset = HeaderLength;
        while (offset < packet.Length)
        {
            // The message length is a multiple of 4 and every attribute is padded to one, so at least
            // 4 bytes remain here; the check still stands so no reasoning is needed to trust it.
            if (packet.Length - offset < 4)
            {
                return StunReadError.BadAttribute;
            }

            var type = (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset));
            int length = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2));
            int valueOffset = offset + 4;
            if (Pad(length) > packet.Length - valueOffset)
            {
                return StunReadError.BadAttribute;
            }

            if (fingerprintOffset != 0)
            {
                return StunReadError.FingerprintNotLast;
            }

            ReadOnlySpan<byte> value = packet.Slice(valueOffset, length);
            if (type == StunAttributeType.Fingerprint)
            {
                if (length != 4)
                {
                    return StunReadError.BadAttributeValue;
                }

                fingerprintOffset = offset;
            }
            else if (integrityOffset == 0)
            {
                switch (type)
                {
                    case StunAttributeType.MessageIntegrity:
                        if (length != StunMessageIntegrity.Length)
                        {
                            return StunReadError.BadAttributeValue;
                        }

                        integrityOffset = offset;
                        break;
                    case StunAttributeType.Username:
                        if (usernameOffset == 0)
                        {
                            usernameOffset = valueOffset;
                            usernameLength = length;
                        }

                        break;
                    case StunAttributeType.Priority:
                        if (length != 4)
                        {
                            return StunReadError.BadAttributeValue;
                        }

                        if ((flags & Flags.Priority) == 0)
                        {
                            priority = BinaryPrimitives.ReadUInt32BigEndian(value);
                            flags |= Flags.Priority;
                        }

                        break;
                    case StunAttributeType.UseCandidate:
                        if (length != 0)
                        {
                            return StunReadError.BadAttributeValue;
                        }

                        flags |= Flags.UseCandidate;
                        break;
                    case StunAttributeType.IceControlling:
                        if (length != 8)
                        {
                            return StunReadError.BadAttributeValue;
                        }

                        if ((flags & Flags.IceControlling) == 0)
                        {
                            controlling = BinaryPrimitives.ReadUInt64BigEndian(value);
                            flags |= Flags.IceControlling;
                        }

                        break;
                    case StunAttributeType.IceControlled:
                        if (length != 8)
                        {
                            return StunReadError.BadAttributeValue;
                        }

                        if ((flags & Flags.IceControlled) == 0)
                        {
                            controlled = BinaryPrimitives.ReadUInt64BigEndian(value);
                            flags |= Flags.IceControlled;
                        }

                        break;
                    case StunAttributeType.XorMappedAddress:
                        if (!IsValidAddress(value))
                        {
                            return StunReadError.BadAttributeValue;
                        }

                        if (xorMappedAddressOffset == 0)
                        {
                            xorMappedAddressOffset = valueOffset;
                        }

                        break;
                    case StunAttributeType.ErrorCode:
                        if (!IsValidErrorCode(value))
                        {
                            return StunReadError.BadAttributeValue;
                        }

                        if (errorCodeOffset == 0)
                        {
                            errorCodeOffset = valueOffset;
                            errorCodeLength = length;
                        }

                        break;
                    default:
                        if (StunAttribute.IsComprehensionRequiredType(type) && !IsUnderstoodWithoutValue(type))
                        {
                            unknownCount++;
                        }

                        break;
                }
            }

            offset = valueOffset + Pad(length);
        }

        message = new StunMessageReader(
            packet,
            usernameOffset,
            usernameLength,
            integrityOffset,
            fingerprintOffset,
            xorMappedAddressOffset,
            errorCodeOffset,
            errorCodeLength,
            unknownCount,
            priority,
            controlling,
            controlled,
            flags);
        return StunReadError.None;
    }

    /// <summary>As <see cref="Read"/>, for callers that only need to know whether it worked.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out StunMessageReader message) =>
        Read(packet, out message) == StunReadError.None;

    /// <summary>
    /// Whether the datagram could be a STUN message by its first 8 bytes (RFC 8489 section 5): the two
    /// top bits zero and the magic cookie, before any further parsing.
    /// </summary>
    public static bool IsStun(ReadOnlySpan<byte> packet) =>
        packet.Length >= HeaderLength
        && (packet[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4)) == MagicCookie;

    /// <summary>
    /// The attributes a receiver processes: all up to MESSAGE-INTEGRITY, then FINGERPRINT. Use with
    /// <c>foreach</c>.
    /// </summary>
    public StunAttributeEnumerator GetAttributes() =>
        new(_message, _integrityOffset == 0 ? int.MaxValue : _integrityOffset + 4 + StunMessageIntegrity.Length);

    /// <summary>Finds the first attribute of a type among those <see cref="GetAttributes"/> yields.</summary>
    public bool TryGetAttribute(StunAttributeType type, out ReadOnlySpan<byte> value)
    {
        foreach (StunAttribute attribute in GetAttributes())
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>XOR-MAPPED-ADDRESS with the XOR undone (RFC 8489 section 14.2).</summary>
    public bool TryGetXorMappedAddress(out StunTransportAddress address)
    {
        if (_xorMappedAddressOffset == 0)
        {
            address = default;
            return false;
        }

        address = StunXorAddress.Read(_message.Slice(_xorMappedAddressOffset), TransactionId);
        return true;
    }

    /// <summary>ERROR-CODE as class * 100 + number, and its UTF-8 reason phrase (RFC 8489 section 14.8).</summary>
    /// <remarks>
    /// <code>
    ///  0                   1                   2                   3
    ///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |           Reserved, should be 0         |Class|     Number    |
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// |      Reason Phrase (variable)                                ..
    /// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    /// </code>
    /// Class is 3 to 6 and Number 0 to 99; <see cref="Read"/> has refused anything else.
    /// </remarks>
    public bool TryGetErrorCode(out StunErrorCode code, out ReadOnlySpan<byte> reasonPhrase)
    {
        if (_errorCodeOffset == 0)
        {
            code = default;
            reasonPhrase = default;
            return false;
        }

        ReadOnlySpan<byte> value = _message.Slice(_errorCodeOffset, _errorCodeLength);
        code = (StunErrorCode)(((value[2] & 0x07) * 100) + value[3]);
        reasonPhrase = value.Slice(4);
        return true;
    }

    /// <summary>
    /// Copies the types of the unknown comprehension-required attributes into
    /// <paramref name="destination"/> for UNKNOWN-ATTRIBUTES, and returns how many it copied (at most
    /// the destination's length).
    /// </summary>
    public int CopyUnknownComprehensionRequired(Span<StunAttributeType> destination)
    {
        if (_unknownComprehensionRequiredCount == 0)
        {
            return 0;
        }

        int count = 0;
        foreach (StunAttribute attribute in GetAttributes())
        {
            if (count == destination.Length)
            {
                break;
            }

            if (attribute.IsComprehensionRequired && !IsUnderstood(attribute.Type))
            {
                destination[count++] = attribute.Type;
            }
        }

        return count;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY, in constant time, against an HMAC-SHA1 under <paramref name="key"/>
    /// (RFC 8489 section 14.5). For short-term credentials (ICE) the key is the password's bytes.
    /// False if the message has no MESSAGE-INTEGRITY.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key) =>
        _integrityOffset != 0 && StunMessageIntegrity.Verify(_message, _integrityOffset, key);

    /// <summary>Checks FINGERPRINT (RFC 8489 section 14.7). False if the message has none.</summary>
    public bool VerifyFingerprint() =>
        _fingerprintOffset != 0 && StunFingerprint.Verify(_message, _fingerprintOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Pad(int length) => (length + 3) & ~3;

    internal static ushort ComposeType(StunMethod method, StunClass messageClass)
    {
        int m = (int)method;
        int c = (int)messageClass;
        return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0x1) << 4) | ((c & 0x2) << 7));
    }

    private static bool IsUnderstood(StunAttributeType type) => type switch
    {
        StunAttributeType.Username or
        StunAttributeType.MessageIntegrity or
        StunAttributeType.Priority or
        StunAttributeType.UseCandidate or
        StunAttributeType.XorMappedAddress or
        StunAttributeType.ErrorCode => true,
        _ => IsUnderstoodWithoutValue(type),
    };

    // Known RFC 8489 attributes this reader has no accessor for but which are no reason to answer 420:
    // the caller can still read them with TryGetAttribute.
    private static bool IsUnderstoodWithoutValue(StunAttributeType type) =>
        type is StunAttributeType.MappedAddress
            or StunAttributeType.UnknownAttributes
            or StunAttributeType.Realm
            or StunAttributeType.Nonce;

    private static bool IsValidAddress(ReadOnlySpan<byte> value) =>
        (value.Length == 8 && value[1] == (byte)StunAddressFamily.IPv4)
        || (value.Length == 20 && value[1] == (byte)StunAddressFamily.IPv6);

    // Class 3 to 6 and number 0 to 99 (RFC 8489 section 14.8).
    private static bool IsValidErrorCode(ReadOnlySpan<byte> value) =>
        value.Length >= 4 && (value[2] & 0x07) is >= 3 and <= 6 && value[3] < 100;
}
