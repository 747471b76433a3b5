namespace Relay.Protocols.Stun;

/// <summary>
/// CRC-32 as ISO-HDLC and zlib define it (reflected polynomial 0xEDB88320, initial value and final
/// XOR 0xFFFFFFFF), the checksum FINGERPRINT uses (RFC 8489 section 14.7). One table lookup per byte:
/// a binding request is about a hundred bytes, so wider slicing would not pay for its tables.
/// </summary>
internal static class StunCrc32
{
    private const uint ReflectedPolynomial = 0xEDB88320;

    private static readonly uint[] s_table = CreateTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint[] table = s_table;
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? ReflectedPolynomial ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
