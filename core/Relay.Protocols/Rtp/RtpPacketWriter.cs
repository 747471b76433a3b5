using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Relay.Protocols.Rtp;

/// <summary>
/// Builds an RTP packet (RFC 3550 section 5.1) from parts into a caller-owned span, with optional
/// CSRCs, RFC 8285 header extension elements and padding. Used by tests and the load suite to make
/// packets, and by anything that originates RTP.
/// </summary>
/// <remarks>
/// <code>
/// | fixed header (12) | CSRCs (4 x CC) | ext header (4) + elements + zero pad to 4 | payload | padding |
/// </code>
/// Elements use the one-byte form (profile 0xBEDE) when every id is 1-14 and every value is 1-16
/// bytes, and the two-byte form (0x100X) otherwise or when <see cref="UseTwoByteExtensions"/> is set:
/// a packet has one extension block and so one form, and one element that needs two bytes decides.
/// Extension values are copied into the writer when added, so the caller's buffers need not outlive
/// the call. Padding ends with its own length (RFC 3550); the bytes before it are zero.
/// </remarks>
public ref struct RtpPacketWriter
{
    /// <summary>Bytes the writer keeps for extension elements, each stored as id, length, data.</summary>
    public const int ExtensionCapacity = 512;

    private ExtensionStorage _extensions;
    private int _extensionBytes;
    private int _extensionCount;
    private bool _needsTwoByte;
    private byte _payloadType;
    private byte _appBits;
    private int _paddingLength;
    private ReadOnlySpan<uint> _csrcs;

    public RtpPacketWriter()
    {
    }

    public bool Marker { get; set; }

    /// <summary>The 7-bit payload type (0-127).</summary>
    public byte PayloadType
    {
        readonly get => _payloadType;
        set
        {
            if (value > 0x7F)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(PayloadType));
            }

            _payloadType = value;
        }
    }

    public ushort SequenceNumber { get; set; }

    public uint Timestamp { get; set; }

    public uint Ssrc { get; set; }

    /// <summary>Contributing sources, at most 15.</summary>
    public ReadOnlySpan<uint> Csrcs
    {
        readonly get => _csrcs;
        set
        {
            if (value.Length > 15)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(Csrcs));
            }

            _csrcs = value;
        }
    }

    public ReadOnlySpan<byte> Payload { get; set; }

    /// <summary>Bytes of padding to append, counting the final count byte: 0 (none) to 255.</summary>
    public int PaddingLength
    {
        readonly get => _paddingLength;
        set
        {
            if ((uint)value > 255)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(PaddingLength));
            }

            _paddingLength = value;
        }
    }

    /// <summary>Forces the two-byte form even when every element would fit the one-byte form.</summary>
    public bool UseTwoByteExtensions { get; set; }

    /// <summary>The 4 app bits carried in a two-byte profile (RFC 8285 section 4.3).</summary>
    public byte ExtensionAppBits
    {
        readonly get => _appBits;
        set
        {
            if (value > 0x0F)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(ExtensionAppBits));
            }

            _appBits = value;
        }
    }

    /// <summary>Number of extension elements added.</summary>
    public readonly int ExtensionCount => _extensionCount;

    /// <summary>The form the elements will be written in, or <see cref="RtpExtensionForm.None"/> without elements.</summary>
    public readonly RtpExtensionForm ExtensionForm =>
        _extensionCount == 0 ? RtpExtensionForm.None
        : _needsTwoByte || UseTwoByteExtensions ? RtpExtensionForm.TwoByte
        : RtpExtensionForm.OneByte;

    /// <summary>
    /// Adds an extension element. <paramref name="id"/> must be 1-255 and <paramref name="data"/> at
    /// most 255 bytes; an id above 14 or data that is empty or longer than 16 bytes selects the
    /// two-byte form. Throws if the writer's <see cref="ExtensionCapacity"/> is used up.
    /// </summary>
    public void AddExtension(byte id, scoped ReadOnlySpan<byte> data)
    {
        if (id == 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(id));
        }

        if (data.Length > RtpExtensionProfile.MaxTwoByteLength)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(data));
        }

        if (_extensionBytes + 2 + data.Length > ExtensionCapacity)
        {
            ThrowHelper.ThrowInvalidOperation("The RTP packet writer has no room for another extension element.");
        }

        Span<byte> storage = _extensions;
        storage[_extensionBytes] = id;
        storage[_extensionBytes + 1] = (byte)data.Length;
        data.CopyTo(storage.Slice(_extensionBytes + 2));
        _extensionBytes += 2 + data.Length;
        _extensionCount++;
        _needsTwoByte |= id > RtpExtensionProfile.MaxOneByteId
            || data.Length == 0
            || data.Length > RtpExtensionProfile.MaxOneByteLength;
    }

    /// <summary>Removes every extension element added so far.</summary>
    public void ClearExtensions()
    {
        _extensionBytes = 0;
        _extensionCount = 0;
        _needsTwoByte = false;
    }

    /// <summary>Bytes <see cref="TryWrite"/> will write.</summary>
    public readonly int GetSerializedLength() =>
        RtpHeader.FixedLength + (_csrcs.Length * 4) + GetExtensionBlockLength() + Payload.Length + _paddingLength;

    /// <summary>
    /// Writes the packet to the start of <paramref name="destination"/>. Returns false, writing
    /// nothing, if it is shorter than <see cref="GetSerializedLength"/>.
    /// </summary>
    public readonly bool TryWrite(Span<byte> destination, out int written)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        Span<byte> packet = destination[..length];
        RtpExtensionForm form = ExtensionForm;
        packet[0] = (byte)((RtpHeader.Version << 6)
            | (_paddingLength != 0 ? 0x20 : 0)
            | (form != RtpExtensionForm.None ? 0x10 : 0)
            | _csrcs.Length);
        packet[1] = (byte)((Marker ? 0x80 : 0) | _payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2), SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(4), Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(8), Ssrc);

        int offset = RtpHeader.FixedLength;
        foreach (uint csrc in _csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(offset), csrc);
            offset += 4;
        }

        if (form != RtpExtensionForm.None)
        {
            offset = WriteExtensionBlock(packet, offset, form);
        }

        Payload.CopyTo(packet.Slice(offset));
        offset += Payload.Length;

        if (_paddingLength != 0)
        {
            packet.Slice(offset, _paddingLength - 1).Clear();
            packet[^1] = (byte)_paddingLength;
        }

        written = length;
        return true;
    }

    private readonly int GetExtensionBlockLength()
    {
        if (_extensionCount == 0)
        {
            return 0;
        }

        // Stored elements carry a 2-byte header; the one-byte form needs one byte less each.
        int elements = ExtensionForm == RtpExtensionForm.OneByte ? _extensionBytes - _extensionCount : _extensionBytes;
        return 4 + ((elements + 3) & ~3);
    }

    private readonly int WriteExtensionBlock(Span<byte> packet, int offset, RtpExtensionForm form)
    {
        int blockLength = GetExtensionBlockLength();
        ushort profile = form == RtpExtensionForm.OneByte
            ? RtpExtensionProfile.OneByte
            : (ushort)(RtpExtensionProfile.TwoByte | _appBits);
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(offset), profile);
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(offset + 2), (ushort)((blockLength - 4) / 4));

        ReadOnlySpan<byte> stored = _extensions;
        stored = stored[.._extensionBytes];
        int end = offset + blockLength;
        offset += 4;
        while (!stored.IsEmpty)
        {
            byte id = stored[0];
            int length = stored[1];
            if (form == RtpExtensionForm.OneByte)
            {
                packet[offset++] = (byte)((id << 4) | (length - 1));
            }
            else
            {
                packet[offset++] = id;
                packet[offset++] = (byte)length;
            }

            stored.Slice(2, length).CopyTo(packet.Slice(offset));
            offset += length;
            stored = stored.Slice(2 + length);
        }

        packet[offset..end].Clear();
        return end;
    }

    [InlineArray(ExtensionCapacity)]
    private struct ExtensionStorage
    {
        private byte _element0;
    }
}
