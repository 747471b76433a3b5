using System.Buffers.Binary;

namespace Relay.Protocols.Stun;

/// <summary>
/// Describes a STUN message and writes it into the caller's buffer: header, the attributes that are
/// set, then MESSAGE-INTEGRITY and FINGERPRINT with the header length adjusted for each (RFC 8489
/// sections 5, 14.5 and 14.7).
/// </summary>
/// <remarks>
/// Attributes are written in this order, each padded with zeros to 4 bytes: SOFTWARE, PRIORITY,
/// ICE-CONTROLLED or ICE-CONTROLLING, USE-CANDIDATE, USERNAME, XOR-MAPPED-ADDRESS, ERROR-CODE,
/// UNKNOWN-ATTRIBUTES, MESSAGE-INTEGRITY, FINGERPRINT. The factories cover what ICE-lite sends;
/// set properties for anything else. Spans are borrowed, not copied: keep them alive until written.
/// </remarks>
public ref struct StunMessageWriter
{
    // RFC 8489: USERNAME fewer than 509 bytes; SOFTWARE and reason phrases fewer than 128 characters,
    // which is at most 763 bytes of UTF-8.
    private const int MaxUsernameLength = 508;
    private const int MaxTextLength = 763;
    private const int MaxUnknownAttributes = 64;

    public StunMessageWriter(StunMethod method, StunClass messageClass, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != StunMessageReader.TransactionIdLength)
        {
            ThrowHelper.ThrowArgument("A transaction id is 12 bytes.", nameof(transactionId));
        }

        if ((ushort)method > 0x0FFF)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(method));
        }

        Method = method;
        Class = messageClass;
        TransactionId = transactionId;
    }

    public StunMethod Method { get; }

    public StunClass Class { get; }

    public ReadOnlySpan<byte> TransactionId { get; }

    /// <summary>SOFTWARE (RFC 8489 section 14.14), UTF-8; empty leaves it out.</summary>
    public ReadOnlySpan<byte> Software { get; set; }

    /// <summary>USERNAME (RFC 8489 section 14.3), UTF-8; empty leaves it out. ICE sends "remote-ufrag:local-ufrag".</summary>
    public ReadOnlySpan<byte> Username { get; set; }

    /// <summary>PRIORITY (RFC 8445 section 7.1.1); null leaves it out.</summary>
    public uint? Priority { get; set; }

    /// <summary>Which of ICE-CONTROLLING or ICE-CONTROLLED to send with <see cref="TieBreaker"/>; None sends neither.</summary>
    public StunIceRole IceRole { get; set; }

    public ulong TieBreaker { get; set; }

    /// <summary>Whether to send USE-CANDIDATE (RFC 8445 section 7.1.2).</summary>
    public bool UseCandidate { get; set; }

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 section 14.2); null leaves it out.</summary>
    public StunTransportAddress? XorMappedAddress { get; set; }

    /// <summary>ERROR-CODE (RFC 8489 section 14.8), 300 to 699; null leaves it out.</summary>
    public StunErrorCode? ErrorCode { get; set; }

    /// <summary>The reason phrase, UTF-8. Empty uses the RFC's phrase for a code it names.</summary>
    public ReadOnlySpan<byte> ErrorReasonPhrase { get; set; }

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 section 14.13), which a 420 response must carry; empty leaves it out.</summary>
    public ReadOnlySpan<StunAttributeType> UnknownAttributes { get; set; }

    /// <summary>
    /// The HMAC key for MESSAGE-INTEGRITY: for ICE, the password's UTF-8 bytes. Empty leaves the
    /// attribute out (ICE passwords are at least 22 characters, so empty is never a real key).
    /// </summary>
    public ReadOnlySpan<byte> MessageIntegrityKey { get; set; }

    /// <summary>Whether to end with FINGERPRINT, which ICE always does (RFC 8445 section 7.2.2).</summary>
    public bool IncludeFingerprint { get; set; }

    /// <summary>
    /// A Binding request as an ICE agent sends it: PRIORITY, the role attribute, USE-CANDIDATE when
    /// nominating, USERNAME, MESSAGE-INTEGRITY under the remote password, and FINGERPRINT.
    /// </summary>
    public static StunMessageWriter BindingRequest(
        ReadOnlySpan<byte> transactionId,
        ReadOnlySpan<byte> username,
        uint priority,
        StunIceRole role,
        ulong tieBreaker,
        bool useCandidate,
        ReadOnlySpan<byte> key) =>
        new(StunMethod.Binding, StunClass.Request, transactionId)
        {
            Username = username,
            Priority = priority,
            IceRole = role,
            TieBreaker = tieBreaker,
            UseCandidate = useCandidate,
            MessageIntegrityKey = key,
            IncludeFingerprint = true,
        };

    /// <summary>
    /// A Binding success response: XOR-MAPPED-ADDRESS of where the request came from,
    /// MESSAGE-INTEGRITY under the local password, and FINGERPRINT (RFC 8445 section 7.3.1.4).
    /// </summary>
    public static StunMessageWriter BindingSuccessResponse(
        ReadOnlySpan<byte> transactionId,
        StunTransportAddress mappedAddress,
        ReadOnlySpan<byte> key) =>
        new(StunMethod.Binding, StunClass.SuccessResponse, transactionId)
        {
            XorMappedAddress = mappedAddress,
            MessageIntegrityKey = key,
            IncludeFingerprint = true,
        };

    /// <summary>
    /// A Binding error response: ERROR-CODE with the RFC's reason phrase, UNKNOWN-ATTRIBUTES for 420,
    /// MESSAGE-INTEGRITY if a key is given, and FINGERPRINT. Answer a request that failed
    /// authentication (400, 401) without a key (RFC 8489 section 9.1.3).
    /// </summary>
    public static StunMessageWriter BindingErrorResponse(
        ReadOnlySpan<byte> transactionId,
        StunErrorCode code,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<StunAttributeType> unknownAttributes = default) =>
        new(StunMethod.Binding, StunClass.ErrorResponse, transactionId)
        {
            ErrorCode = code,
            UnknownAttributes = unknownAttributes,
            MessageIntegrityKey = key,
            IncludeFingerprint = true,
        };

    /// <summary>Bytes <see cref="TryWrite"/> will write.</summary>
    public readonly int GetSerializedLength()
    {
        Validate();
        int length = StunMessageReader.HeaderLength;
        if (!Software.IsEmpty)
        {
            length += 4 + StunMessageReader.Pad(Software.Length);
        }

        if (Priority.HasValue)
        {
            length += 8;
        }

        if (IceRole != StunIceRole.None)
        {
            length += 12;
        }

        if (UseCandidate)
        {
            length += 4;
        }

        if (!Username.IsEmpty)
        {
            length += 4 + StunMessageReader.Pad(Username.Length);
        }

        if (XorMappedAddress is StunTransportAddress address)
        {
            length += 4 + StunXorAddress.ValueLength(address);
        }

        if (ErrorCode.HasValue)
        {
            length += 4 + StunMessageReader.Pad(4 + ReasonPhrase.Length);
        }

        if (!UnknownAttributes.IsEmpty)
        {
            length += 4 + StunMessageReader.Pad(2 * UnknownAttributes.Length);
        }

        if (!MessageIntegrityKey.IsEmpty)
        {
            length += StunMessageIntegrity.AttributeLength;
        }

        if (IncludeFingerprint)
        {
            length += StunFingerprint.AttributeLength;
        }

        return length;
    }

    /// <summary>
    /// Writes the message at the start of <paramref name="destination"/>.
    /// </summary>
    /// <returns>False, with <paramref name="written"/> 0, if the destination is shorter than <see cref="GetSerializedLength"/>.</returns>
    public readonly bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        Span<byte> buffer = destination.Slice(0, length);
        BinaryPrimitives.WriteUInt16BigEndian(buffer, StunMessageReader.ComposeType(Method, Class));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(4), StunMessageReader.MagicCookie);
        TransactionId.CopyTo(buffer.Slice(8));

        int offset = StunMessageReader.HeaderLength;
        if (!Software.IsEmpty)
        {
            offset = WriteAttribute(buffer, offset, StunAttributeType.Software, Software);
        }

        if (Priority is uint priority)
        {
            Span<byte> value = WriteAttributeHeader(buffer, offset, StunAttributeType.Priority, 4);
            BinaryPrimitives.WriteUInt32BigEndian(value, priority);
            offset += 8;
        }

        if (IceRole != StunIceRole.None)
        {
            StunAttributeType type = IceRole == StunIceRole.Controlling ? StunAttributeType.IceControlling : StunAttributeType.IceControlled;
            Span<byte> value = WriteAttributeHeader(buffer, offset, type, 8);
            BinaryPrimitives.WriteUInt64BigEndian(value, TieBreaker);
            offset += 12;
        }

        if (UseCandidate)
        {
            WriteAttributeHeader(buffer, offset, StunAttributeType.UseCandidate, 0);
            offset += 4;
        }

        if (!Username.IsEmpty)
        {
            offset = WriteAttribute(buffer, offset, StunAttributeType.Username, Username);
        }

        if (XorMappedAddress is StunTransportAddress address)
        {
            int valueLength = StunXorAddress.ValueLength(address);
            Span<byte> value = WriteAttributeHeader(buffer, offset, StunAttributeType.XorMappedAddress, valueLength);
            StunXorAddress.Write(value, address, TransactionId);
            offset += 4 + valueLength;
        }

        if (ErrorCode is StunErrorCode code)
        {
            ReadOnlySpan<byte> reason = ReasonPhrase;
            Span<byte> value = WriteAttributeHeader(buffer, offset, StunAttributeType.ErrorCode, 4 + reason.Length);
            value[0] = 0;
            value[1] = 0;
            value[2] = (byte)((int)code / 100);
            value[3] = (byte)((int)code % 100);
            reason.CopyTo(value.Slice(4));
            offset = ClearPadding(buffer, offset + 8 + reason.Length);
        }

        if (!UnknownAttributes.IsEmpty)
        {
            Span<byte> value = WriteAttributeHeader(buffer, offset, StunAttributeType.UnknownAttributes, 2 * UnknownAttributes.Length);
            for (int i = 0; i < UnknownAttributes.Length; i++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(value.Slice(2 * i), (ushort)UnknownAttributes[i]);
            }

            offset = ClearPadding(buffer, offset + 4 + (2 * UnknownAttributes.Length));
        }

        if (!MessageIntegrityKey.IsEmpty)
        {
            offset = StunMessageIntegrity.Append(buffer, offset, MessageIntegrityKey);
        }

        if (IncludeFingerprint)
        {
            offset = StunFingerprint.Append(buffer, offset);
        }

        // Appending MESSAGE-INTEGRITY and FINGERPRINT set the length as they went; this covers a message with neither.
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(2), (ushort)(offset - StunMessageReader.HeaderLength));
        written = offset;
        return true;
    }

    private readonly ReadOnlySpan<byte> ReasonPhrase =>
        !ErrorReasonPhrase.IsEmpty || ErrorCode is not StunErrorCode code ? ErrorReasonPhrase : DefaultReasonPhrase(code);

    private static ReadOnlySpan<byte> DefaultReasonPhrase(StunErrorCode code) => code switch
    {
        StunErrorCode.TryAlternate => "Try Alternate"u8,
        StunErrorCode.BadRequest => "Bad Request"u8,
        StunErrorCode.Unauthenticated => "Unauthenticated"u8,
        StunErrorCode.UnknownAttribute => "Unknown Attribute"u8,
        StunErrorCode.StaleNonce => "Stale Nonce"u8,
        StunErrorCode.RoleConflict => "Role Conflict"u8,
        StunErrorCode.ServerError => "Server Error"u8,
        _ => default,
    };

    private readonly void Validate()
    {
        if (TransactionId.Length != StunMessageReader.TransactionIdLength)
        {
            ThrowHelper.ThrowInvalidOperation("The writer has no transaction id; create it with a constructor or factory.");
        }

        if (Software.Length > MaxTextLength)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Software));
        }

        if (Username.Length > MaxUsernameLength)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Username));
        }

        if (IceRole is not (StunIceRole.None or StunIceRole.Controlling or StunIceRole.Controlled))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(IceRole));
        }

        if (XorMappedAddress is StunTransportAddress address && address.Family == StunAddressFamily.None)
        {
            ThrowHelper.ThrowArgument("The mapped address is the default value.", nameof(XorMappedAddress));
        }

        if (ErrorCode is StunErrorCode code && (int)code is < 300 or > 699)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(ErrorCode));
        }

        if (ErrorReasonPhrase.Length > MaxTextLength)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(ErrorReasonPhrase));
        }

        if (UnknownAttributes.Length > MaxUnknownAttributes)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(UnknownAttributes));
        }
    }

    private static Span<byte> WriteAttributeHeader(Span<byte> buffer, int offset, StunAttributeType type, int valueLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(offset), (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(offset + 2), (ushort)valueLength);
        return buffer.Slice(offset + 4, valueLength);
    }

    private static int WriteAttribute(Span<byte> buffer, int offset, StunAttributeType type, ReadOnlySpan<byte> value)
    {
        value.CopyTo(WriteAttributeHeader(buffer, offset, type, value.Length));
        return ClearPadding(buffer, offset + 4 + value.Length);
    }

    // RFC 8489 section 14: padding is zero on sending (RFC 5389 allowed any value, as RFC 5769's vectors show).
    private static int ClearPadding(Span<byte> buffer, int end)
    {
        int padded = StunMessageReader.Pad(end);
        buffer.Slice(end, padded - end).Clear();
        return padded;
    }
}
