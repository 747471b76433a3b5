using System.Buffers.Binary;
using System.Text;

namespace Relay.Recording.Export;

/// <summary>
/// Builds EBML (RFC 8794) elements in memory: an element is its ID (with its length marker, as the
/// Matroska spec writes IDs), its data size as a variable-length integer, then the data.
/// </summary>
/// <remarks>
/// <code>
/// | ID (1-4 bytes) | size: 1xxxxxxx | 01xxxxxx xxxxxxxx | ... up to 8 bytes | data (size bytes) |
/// </code>
/// Master elements are opened with <see cref="Begin"/> and closed with <see cref="End"/>, which writes
/// their size in 8 bytes, so nothing is measured twice.
/// </remarks>
internal sealed class EbmlBuffer : IDisposable
{
    private readonly MemoryStream _stream = new();
    private readonly Stack<long> _open = new();

    public long Length => _stream.Length;

    public void Begin(uint id)
    {
        WriteId(id);
        _open.Push(_stream.Position);
        WriteSize(0, 8);
    }

    public void End()
    {
        long sizeAt = _open.Pop();
        long end = _stream.Position;
        _stream.Position = sizeAt;
        WriteSize(end - sizeAt - 8, 8);
        _stream.Position = end;
    }

    public void WriteUnsigned(uint id, ulong value)
    {
        int length = 1;
        while (length < 8 && (value >> (length * 8)) != 0)
        {
            length++;
        }

        WriteId(id);
        WriteSize(length, 1);
        for (int i = length - 1; i >= 0; i--)
        {
            _stream.WriteByte((byte)(value >> (i * 8)));
        }
    }

    /// <summary>An unsigned integer always written in 8 bytes, so it can be patched later at <paramref name="valueAt"/>.</summary>
    public void WriteFixedUnsigned(uint id, ulong value, out long valueAt)
    {
        WriteId(id);
        WriteSize(8, 1);
        valueAt = _stream.Position;
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void WriteSigned(uint id, long value)
    {
        WriteId(id);
        WriteSize(8, 1);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void WriteFloat(uint id, double value)
    {
        WriteId(id);
        WriteSize(8, 1);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        _stream.Write(bytes);
    }

    /// <summary>A float written so it can be patched later: its 8 bytes start at <paramref name="valueAt"/>.</summary>
    public void WriteFloat(uint id, double value, out long valueAt)
    {
        WriteFloat(id, value);
        valueAt = _stream.Position - 8;
    }

    public void WriteString(uint id, string value) => WriteBinary(id, Encoding.UTF8.GetBytes(value));

    public void WriteBinary(uint id, ReadOnlySpan<byte> value)
    {
        WriteId(id);
        WriteSize(value.Length, 0);
        _stream.Write(value);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    public void WriteByte(byte value) => _stream.WriteByte(value);

    /// <summary>Overwrites 8 bytes at <paramref name="at"/> with <paramref name="value"/>, big-endian.</summary>
    public void Patch(long at, ulong value)
    {
        long end = _stream.Position;
        _stream.Position = at;
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        _stream.Write(bytes);
        _stream.Position = end;
    }

    public void CopyTo(Stream output)
    {
        _stream.Position = 0;
        _stream.CopyTo(output);
        _stream.Position = _stream.Length;
    }

    public void Clear()
    {
        _stream.SetLength(0);
        _open.Clear();
    }

    public void WriteId(uint id)
    {
        int length = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        for (int i = length - 1; i >= 0; i--)
        {
            _stream.WriteByte((byte)(id >> (i * 8)));
        }
    }

    /// <summary>Writes an EBML variable-length size; <paramref name="length"/> 0 picks the shortest form.</summary>
    public void WriteSize(long size, int length)
    {
        if (length == 0)
        {
            length = 1;
            while (length < 8 && size >= (1L << (7 * length)) - 1)
            {
                length++;
            }
        }

        ulong value = (ulong)size | (1UL << (7 * length));
        for (int i = length - 1; i >= 0; i--)
        {
            _stream.WriteByte((byte)(value >> (i * 8)));
        }
    }

    public void Dispose() => _stream.Dispose();
}
