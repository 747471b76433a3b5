using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Relay.Control.Sdp;

/// <summary>
/// <c>a=fingerprint:&lt;hash function&gt; &lt;hex pairs separated by colons&gt;</c> (RFC 8122 section 5),
/// e.g. <c>a=fingerprint:sha-256 4F:6E:...:1D</c>: the hash of the DTLS certificate the peer will
/// present. The hash function name is kept lowercase; the value must have the length the named
/// hash produces.
/// </summary>
public sealed class SdpFingerprint
{
    /// <summary>Longest hash accepted (sha-512).</summary>
    public const int MaxValueLength = 64;

    private readonly byte[] _value;

    public SdpFingerprint(string hashFunction, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(hashFunction);
        if (!SdpSyntax.IsToken(hashFunction))
        {
            throw new ArgumentException("The hash function name is not an SDP token.", nameof(hashFunction));
        }

        if (value.IsEmpty || value.Length > MaxValueLength)
        {
            throw new ArgumentException($"A fingerprint has 1 to {MaxValueLength} bytes.", nameof(value));
        }

        HashFunction = hashFunction.ToLowerInvariant();
        _value = value.ToArray();
    }

    /// <summary>The hash function, lowercase: <c>sha-256</c>, <c>sha-1</c>, ...</summary>
    public string HashFunction { get; }

    /// <summary>The hash bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpFingerprint? attribute)
    {
        attribute = null;
        ReadOnlySpan<char> rest = value;
        if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> hashFunction)
            || !SdpSyntax.IsToken(hashFunction)
            || rest.IsEmpty)
        {
            return false;
        }

        // Two hex digits per byte, a colon between bytes: 3n - 1 characters.
        if ((rest.Length + 1) % 3 != 0 || (rest.Length + 1) / 3 > MaxValueLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxValueLength];
        int count = (rest.Length + 1) / 3;
        for (int i = 0; i < count; i++)
        {
            int at = i * 3;
            if ((i > 0 && rest[at - 1] != ':') || !TryHex(rest[at], out int high) || !TryHex(rest[at + 1], out int low))
            {
                return false;
            }

            bytes[i] = (byte)((high << 4) | low);
        }

        int? expected = ExpectedLength(hashFunction);
        if (expected is int length && length != count)
        {
            return false;
        }

        attribute = new SdpFingerprint(hashFunction.ToString(), bytes[..count]);
        return true;
    }

    /// <summary>The attribute value, after <c>a=fingerprint:</c>, in uppercase hex as RFC 8122 writes it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(HashFunction.Length + 1 + (_value.Length * 3));
        text.Append(HashFunction).Append(' ');
        for (int i = 0; i < _value.Length; i++)
        {
            if (i > 0)
            {
                text.Append(':');
            }

            text.Append(Convert.ToHexString(_value, i, 1));
        }

        return text.ToString();
    }

    /// <summary>Byte length of the hash functions RFC 8122 names (RFC 4572's md2 and md5 included); null for others.</summary>
    internal static int? ExpectedLength(ReadOnlySpan<char> hashFunction)
    {
        if (hashFunction.Equals("sha-256", StringComparison.OrdinalIgnoreCase))
        {
            return 32;
        }

        if (hashFunction.Equals("sha-1", StringComparison.OrdinalIgnoreCase))
        {
            return 20;
        }

        if (hashFunction.Equals("sha-224", StringComparison.OrdinalIgnoreCase))
        {
            return 28;
        }

        if (hashFunction.Equals("sha-384", StringComparison.OrdinalIgnoreCase))
        {
            return 48;
        }

        if (hashFunction.Equals("sha-512", StringComparison.OrdinalIgnoreCase))
        {
            return 64;
        }

        if (hashFunction.Equals("md5", StringComparison.OrdinalIgnoreCase)
            || hashFunction.Equals("md2", StringComparison.OrdinalIgnoreCase))
        {
            return 16;
        }

        return null;
    }

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
