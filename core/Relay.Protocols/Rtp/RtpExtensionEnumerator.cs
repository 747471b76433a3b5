namespace Relay.Protocols.Rtp;

/// <summary>
/// Walks the elements of an RFC 8285 header extension block without allocating.
/// </summary>
/// <remarks>
/// One-byte form (RFC 8285 section 4.2), profile 0xBEDE, L = data length - 1:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |       0xBE    |    0xDE       |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  ID   | L=0   |     data      |  ID   |  L=1  |   data...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///       ...data   |    0 (pad)    |    0 (pad)    |  ID   | L=3   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          data                                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Two-byte form (RFC 8285 section 4.3), profile 0x100 followed by 4 app bits:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |       0x10    |    0x00 |appbits|           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      ID       |     L=0       |     ID        |     L=1       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |       data    |    0 (pad)    |       ID      |      L=4      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          data                                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The enumerator is given the bytes after the 4-byte block header. Padding bytes (0) are skipped. A
/// one-byte header whose id nibble is 0 is skipped as a single byte whatever its length nibble, as
/// libwebrtc does, so we read what Chrome reads. A one-byte id of 15 ends the walk (not an error). An
/// element whose declared length runs past the block ends the walk and sets <see cref="IsMalformed"/>;
/// the elements before it stay usable. Profiles other than the two RFC 8285 forms yield no elements.
/// </remarks>
public ref struct RtpExtensionEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly RtpExtensionForm _form;
    private int _next;
    private int _currentOffset;
    private int _currentDataOffset;
    private int _currentLength;
    private byte _currentId;
    private bool _isMalformed;

    /// <summary>Starts a walk over <paramref name="elements"/>, the block's bytes after its 4-byte header.</summary>
    public RtpExtensionEnumerator(ushort profile, ReadOnlySpan<byte> elements)
    {
        _data = elements;
        _form = RtpExtensionProfile.GetForm(profile);
        _currentOffset = -1;
        if (_form == RtpExtensionForm.Other)
        {
            _next = elements.Length;
        }
    }

    /// <summary>The element form the profile announced.</summary>
    public readonly RtpExtensionForm Form => _form;

    /// <summary>The element <see cref="MoveNext"/> last moved to.</summary>
    public readonly RtpExtensionElement Current => new(_currentId, _data.Slice(_currentDataOffset, _currentLength));

    /// <summary>True once the walk has stopped at an element whose length runs past the block.</summary>
    public readonly bool IsMalformed => _isMalformed;

    /// <summary>Offset of the current element's first header byte within the element bytes.</summary>
    internal readonly int CurrentOffset => _currentOffset;

    /// <summary>Offset of the current element's data within the element bytes.</summary>
    internal readonly int CurrentDataOffset => _currentDataOffset;

    /// <summary>Lets the enumerator be used directly in <c>foreach</c>.</summary>
    public readonly RtpExtensionEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next element; false at the end, at a one-byte id 15, or at a malformed element.</summary>
    public bool MoveNext()
    {
        ReadOnlySpan<byte> data = _data;
        int offset = _next;
        if (_form == RtpExtensionForm.OneByte)
        {
            while ((uint)offset < (uint)data.Length)
            {
                int header = data[offset];
                int id = header >> 4;
                if (id == 0)
                {
                    offset++;
                    continue;
                }

                if (id == RtpExtensionProfile.OneByteTerminatorId)
                {
                    return Stop(malformed: false);
                }

                int length = (header & 0x0F) + 1;
                if (length > data.Length - offset - 1)
                {
                    return Stop(malformed: true);
                }

                return Found(id, offset, offset + 1, length);
            }
        }
        else if (_form == RtpExtensionForm.TwoByte)
        {
            while ((uint)offset < (uint)data.Length)
            {
                int id = data[offset];
                if (id == 0)
                {
                    offset++;
                    continue;
                }

                if (data.Length - offset < 2)
                {
                    return Stop(malformed: true);
                }

                int length = data[offset + 1];
                if (length > data.Length - offset - 2)
                {
                    return Stop(malformed: true);
                }

                return Found(id, offset, offset + 2, length);
            }
        }

        return Stop(malformed: false);
    }

    private bool Found(int id, int offset, int dataOffset, int length)
    {
        _currentId = (byte)id;
        _currentOffset = offset;
        _currentDataOffset = dataOffset;
        _currentLength = length;
        _next = dataOffset + length;
        return true;
    }

    private bool Stop(bool malformed)
    {
        // Park at the end so later calls keep returning false rather than resuming past a bad element.
        _next = _data.Length;
        _isMalformed |= malformed;
        _currentOffset = -1;
        _currentId = 0;
        _currentDataOffset = 0;
        _currentLength = 0;
        return false;
    }
}
