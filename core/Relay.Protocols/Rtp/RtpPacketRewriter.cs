using System.Buffers.Binary;

namespace Relay.Protocols.Rtp;

/// <summary>
/// Rewrites an RTP packet in place for one subscriber: header fields, extension values of the same
/// length, and extension ids (relays remap ids between the publisher's and each subscriber's extmap).
/// </summary>
/// <remarks>
/// Only the bytes of the field being set change; everything else, including the payload SRTP will
/// encrypt next, stays as it was. Header fields sit at fixed offsets of the fixed header
/// (see <see cref="RtpHeader"/>); extension elements are found with <see cref="RtpExtensionEnumerator"/>,
/// so the extension methods never touch bytes past a malformed element or a one-byte id 15.
/// </remarks>
public readonly ref struct RtpPacketRewriter
{
    private const int PayloadTypeOffset = 1;
    private const int SequenceNumberOffset = 2;
    private const int TimestampOffset = 4;
    private const int SsrcOffset = 8;

    private readonly Span<byte> _packet;
    private readonly int _extensionDataOffset;
    private readonly int _extensionDataLength;
    private readonly ushort _extensionProfile;

    private RtpPacketRewriter(Span<byte> packet, int extensionDataOffset, int extensionDataLength, ushort extensionProfile)
    {
        _packet = packet;
        _extensionDataOffset = extensionDataOffset;
        _extensionDataLength = extensionDataLength;
        _extensionProfile = extensionProfile;
    }

    /// <summary>The packet being rewritten.</summary>
    public Span<byte> Packet => _packet;

    /// <summary>How the packet's extension elements are laid out, or <see cref="RtpExtensionForm.None"/>.</summary>
    public RtpExtensionForm ExtensionForm =>
        _extensionDataOffset == 0 ? RtpExtensionForm.None : RtpExtensionProfile.GetForm(_extensionProfile);

    private Span<byte> ExtensionData => _packet.Slice(_extensionDataOffset, _extensionDataLength);

    /// <summary>
    /// Prepares to rewrite <paramref name="packet"/>. Returns false if its header does not read as RTP
    /// (<see cref="RtpHeader.TryRead"/>), in which case nothing may be rewritten.
    /// </summary>
    public static bool TryCreate(Span<byte> packet, out RtpPacketRewriter rewriter)
    {
        if (!RtpHeader.TryRead(packet, out RtpHeader header))
        {
            rewriter = default;
            return false;
        }

        int dataOffset = 0;
        int dataLength = 0;
        ushort profile = 0;
        if (header.HasExtension)
        {
            int blockOffset = RtpHeader.FixedLength + (header.CsrcCount * 4);
            profile = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(blockOffset));
            dataOffset = blockOffset + 4;
            dataLength = header.HeaderLength - dataOffset;
        }

        rewriter = new RtpPacketRewriter(packet, dataOffset, dataLength, profile);
        return true;
    }

    public void SetSsrc(uint ssrc) => BinaryPrimitives.WriteUInt32BigEndian(_packet.Slice(SsrcOffset), ssrc);

    public void SetSequenceNumber(ushort sequenceNumber) =>
        BinaryPrimitives.WriteUInt16BigEndian(_packet.Slice(SequenceNumberOffset), sequenceNumber);

    public void SetTimestamp(uint timestamp) => BinaryPrimitives.WriteUInt32BigEndian(_packet.Slice(TimestampOffset), timestamp);

    /// <summary>Sets the 7-bit payload type and keeps the marker bit.</summary>
    public void SetPayloadType(byte payloadType)
    {
        if (payloadType > 0x7F)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(payloadType));
        }

        ref byte second = ref _packet[PayloadTypeOffset];
        second = (byte)((second & 0x80) | payloadType);
    }

    /// <summary>Sets or clears the marker bit and keeps the payload type.</summary>
    public void SetMarker(bool marker)
    {
        ref byte second = ref _packet[PayloadTypeOffset];
        second = (byte)((second & 0x7F) | (marker ? 0x80 : 0));
    }

    /// <summary>
    /// The data of the first element with <paramref name="id"/>, writable in place (for example a
    /// transport-wide sequence number or abs-send-time). False if the packet has no such element.
    /// </summary>
    public bool TryGetExtensionValue(byte id, out Span<byte> value)
    {
        Span<byte> data = ExtensionData;
        RtpExtensionEnumerator elements = new(_extensionProfile, data);
        while (elements.MoveNext())
        {
            if (elements.Current.Id == id)
            {
                value = data.Slice(elements.CurrentDataOffset, elements.Current.Data.Length);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Overwrites the data of the first element with <paramref name="id"/>. False, with the packet
    /// unchanged, if there is no such element or its data is not exactly <paramref name="value"/>'s length.
    /// </summary>
    public bool TrySetExtensionValue(byte id, ReadOnlySpan<byte> value)
    {
        if (!TryGetExtensionValue(id, out Span<byte> data) || data.Length != value.Length)
        {
            return false;
        }

        value.CopyTo(data);
        return true;
    }

    /// <summary>
    /// Renames the first element with <paramref name="id"/> to <paramref name="newId"/>. False, with the
    /// packet unchanged, if there is no such element or <paramref name="newId"/> does not fit the form
    /// (1-14 for one-byte, 1-255 for two-byte). To swap or drop several ids at once use
    /// <see cref="TryRemapExtensionIds"/>, since renaming one at a time can collide.
    /// </summary>
    public bool TrySetExtensionId(byte id, byte newId)
    {
        RtpExtensionForm form = ExtensionForm;
        if (!RtpExtensionProfile.IsValidId(form, newId))
        {
            return false;
        }

        Span<byte> data = ExtensionData;
        RtpExtensionEnumerator elements = new(_extensionProfile, data);
        while (elements.MoveNext())
        {
            if (elements.Current.Id == id)
            {
                WriteId(data, form, elements.CurrentOffset, newId);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Renames every element in one pass: an element with id <c>i</c> becomes
    /// <c>newIdByOldId[i]</c>; where that is 0, or <c>i</c> is past the end of the table, the element is
    /// dropped by turning all its bytes into padding (zeros), which RFC 8285 lets a receiver skip. Returns
    /// false and changes nothing if the block is malformed or a new id does not fit the packet's form.
    /// </summary>
    public bool TryRemapExtensionIds(ReadOnlySpan<byte> newIdByOldId)
    {
        RtpExtensionForm form = ExtensionForm;
        if (form is RtpExtensionForm.None or RtpExtensionForm.Other)
        {
            return form == RtpExtensionForm.None;
        }

        Span<byte> data = ExtensionData;

        // Check every element first so a bad table or block never leaves the packet half remapped.
        RtpExtensionEnumerator check = new(_extensionProfile, data);
        while (check.MoveNext())
        {
            int newId = LookUp(newIdByOldId, check.Current.Id);
            if (newId != 0 && !RtpExtensionProfile.IsValidId(form, newId))
            {
                return false;
            }
        }

        if (check.IsMalformed)
        {
            return false;
        }

        RtpExtensionEnumerator elements = new(_extensionProfile, data);
        while (elements.MoveNext())
        {
            int newId = LookUp(newIdByOldId, elements.Current.Id);
            if (newId == 0)
            {
                int end = elements.CurrentDataOffset + elements.Current.Data.Length;
                data[elements.CurrentOffset..end].Clear();
            }
            else
            {
                WriteId(data, form, elements.CurrentOffset, (byte)newId);
            }
        }

        return true;
    }

    private static int LookUp(ReadOnlySpan<byte> table, byte id) => id < table.Length ? table[id] : 0;

    private static void WriteId(Span<byte> data, RtpExtensionForm form, int offset, byte newId)
    {
        if (form == RtpExtensionForm.OneByte)
        {
            data[offset] = (byte)((newId << 4) | (data[offset] & 0x0F));
        }
        else
        {
            data[offset] = newId;
        }
    }
}
