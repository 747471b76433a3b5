using System.Buffers.Binary;
using System.Text;

namespace Relay.Recording.Tests.Export.Baseline;

/// <summary>
/// Builds ISO BMFF boxes (ISO/IEC 14496-12 section 4.2) in memory: a 32-bit size, a four-character
/// type, then the body; full boxes add a version byte and 24 bits of flags. <see cref="Begin"/> opens
/// a box and <see cref="End"/> writes its size.
/// </summary>
internal sealed class Mp4Buffer : IDisposable
{
    private readonly MemoryStream _stream = new();
    private readonly Stack<long> _open = new();

    public long Length => _stream.Length;

    public void Begin(string type)
    {
        _open.Push(_stream.Position);
        WriteUInt32(0);
        _stream.Write(Encoding.ASCII.GetBytes(type));
    }

    public void BeginFull(string type, byte version, uint flags)
    {
        Begin(type);
        WriteUInt32(((uint)version << 24) | flags);
    }

    public void End()
    {
        long start = _open.Pop();
        long end = _stream.Position;
        _stream.Position = start;
        WriteUInt32((uint)(end - start));
        _stream.Position = end;
    }

    public void WriteByte(byte value) => _stream.WriteByte(value);

    public void WriteUInt16(int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        _stream.Write(bytes);
    }

    public void WriteUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void WriteUInt64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        _stream.Write(bytes);
    }

    public void WriteZeros(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _stream.WriteByte(0);
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    public void WriteAscii(string value) => _stream.Write(Encoding.ASCII.GetBytes(value));

    /// <summary>The unity transformation matrix of mvhd and tkhd (16.16 and 2.30 fixed point).</summary>
    public void WriteUnityMatrix()
    {
        WriteUInt32(0x00010000);
        WriteUInt32(0);
        WriteUInt32(0);
        WriteUInt32(0);
        WriteUInt32(0x00010000);
        WriteUInt32(0);
        WriteUInt32(0);
        WriteUInt32(0);
        WriteUInt32(0x40000000);
    }

    public void CopyTo(Stream output)
    {
        _stream.Position = 0;
        _stream.CopyTo(output);
        _stream.Position = _stream.Length;
    }

    public void Dispose() => _stream.Dispose();
}
