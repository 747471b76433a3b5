using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Relay.Transport.Dtls;

/// <summary>
/// A certificate fingerprint: a hash function and the hash of the certificate's DER encoding
/// (RFC 8122 section 5). Signalling takes it from the peer's <c>a=fingerprint</c> and hands it to the
/// transport; the transport compares it with the certificate the peer presents in the handshake.
/// </summary>
/// <remarks>
/// The text form is the attribute's value, e.g. <c>sha-256 AB:CD:...:EF</c>:
/// <code>
/// fingerprint-value = hash-func SP fingerprint
/// hash-func         = "sha-256" / "sha-384" / "sha-512"   (others exist; not accepted here)
/// fingerprint       = 2UHEX *(":" 2UHEX)                  (lower-case hex is accepted too)
/// </code>
/// </remarks>
public sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    private readonly byte[] _value;

    private DtlsFingerprint(DtlsHashAlgorithm algorithm, byte[] value)
    {
        Algorithm = algorithm;
        _value = value;
    }

    public DtlsHashAlgorithm Algorithm { get; }

    /// <summary>The hash bytes (32, 48 or 64 of them).</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>Hashes a DER-encoded certificate.</summary>
    public static DtlsFingerprint Compute(DtlsHashAlgorithm algorithm, ReadOnlySpan<byte> certificateDer)
    {
        byte[] value = new byte[HashLength(algorithm)];
        Hash(algorithm, certificateDer, value);
        return new DtlsFingerprint(algorithm, value);
    }

    /// <summary>A fingerprint from its hash bytes, which must be as long as the algorithm's output.</summary>
    public static DtlsFingerprint Create(DtlsHashAlgorithm algorithm, ReadOnlySpan<byte> value)
    {
        if (value.Length != HashLength(algorithm))
        {
            throw new ArgumentException($"A {AlgorithmName(algorithm)} fingerprint is {HashLength(algorithm)} bytes, not {value.Length}.", nameof(value));
        }

        return new DtlsFingerprint(algorithm, value.ToArray());
    }

    /// <summary>Parses the SDP form, e.g. <c>sha-256 AB:CD:...</c>; throws <see cref="FormatException"/> if it is not one.</summary>
    public static DtlsFingerprint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out DtlsFingerprint? fingerprint)
            ? fingerprint
            : throw new FormatException("Expected a certificate fingerprint such as \"sha-256 AB:CD:...\" using sha-256, sha-384 or sha-512.");
    }

    /// <summary>Parses the SDP form; false for anything else, including unsupported hash functions.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        if (text is null)
        {
            return false;
        }

        ReadOnlySpan<char> span = text.AsSpan().Trim();
        int space = span.IndexOfAny(' ', '\t');
        if (space < 0 || !TryParseAlgorithm(span[..space], out DtlsHashAlgorithm algorithm))
        {
            return false;
        }

        ReadOnlySpan<char> hex = span[(space + 1)..].TrimStart();
        int length = HashLength(algorithm);

        // Each byte is two hex digits, and all but the last are followed by a colon.
        if (hex.Length != (length * 3) - 1)
        {
            return false;
        }

        byte[] value = new byte[length];
        for (int i = 0; i < length; i++)
        {
            int at = i * 3;
            if ((i > 0 && hex[at - 1] != ':') || !TryParseHexDigit(hex[at], out int high) || !TryParseHexDigit(hex[at + 1], out int low))
            {
                return false;
            }

            value[i] = (byte)((high << 4) | low);
        }

        fingerprint = new DtlsFingerprint(algorithm, value);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="certificateDer"/> hashes to this fingerprint. The comparison takes the
    /// same time wherever the bytes differ.
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        Span<byte> hash = stackalloc byte[64];
        hash = hash[..HashLength(Algorithm)];
        Hash(Algorithm, certificateDer, hash);
        return CryptographicOperations.FixedTimeEquals(hash, _value);
    }

    /// <summary>The SDP form: the hash function's name, a space, upper-case hex bytes joined by colons.</summary>
    /// <summary>Same algorithm and hash. Not constant time: for comparing parameters, not for checking a peer (see <see cref="Matches"/>).</summary>
    public bool Equals(DtlsFingerprint? other) =>
        other is not null && Algorithm == other.Algorithm && _value.AsSpan().SequenceEqual(other._value);

    public override bool Equals(object? obj) => Equals(obj as DtlsFingerprint);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Algorithm);
        hash.AddBytes(_value);
        return hash.ToHashCode();
    }

    public override string ToString()
    {
        string name = AlgorithmName(Algorithm);
        return string.Create(name.Length + 1 + (_value.Length * 3) - 1, (name, _value), static (span, state) =>
        {
            state.name.AsSpan().CopyTo(span);
            span[state.name.Length] = ' ';
            Span<char> hex = span[(state.name.Length + 1)..];
            for (int i = 0; i < state._value.Length; i++)
            {
                if (i > 0)
                {
                    hex[(i * 3) - 1] = ':';
                }

                hex[i * 3] = ToHexDigit(state._value[i] >> 4);
                hex[(i * 3) + 1] = ToHexDigit(state._value[i] & 0xF);
            }
        });
    }

    internal static string AlgorithmName(DtlsHashAlgorithm algorithm) => algorithm switch
    {
        DtlsHashAlgorithm.Sha256 => "sha-256",
        DtlsHashAlgorithm.Sha384 => "sha-384",
        DtlsHashAlgorithm.Sha512 => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    internal static int HashLength(DtlsHashAlgorithm algorithm) => algorithm switch
    {
        DtlsHashAlgorithm.Sha256 => SHA256.HashSizeInBytes,
        DtlsHashAlgorithm.Sha384 => SHA384.HashSizeInBytes,
        DtlsHashAlgorithm.Sha512 => SHA512.HashSizeInBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    private static void Hash(DtlsHashAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        switch (algorithm)
        {
            case DtlsHashAlgorithm.Sha256:
                SHA256.HashData(data, destination);
                break;
            case DtlsHashAlgorithm.Sha384:
                SHA384.HashData(data, destination);
                break;
            case DtlsHashAlgorithm.Sha512:
                SHA512.HashData(data, destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
    }

    private static bool TryParseAlgorithm(ReadOnlySpan<char> name, out DtlsHashAlgorithm algorithm)
    {
        if (name.Equals("sha-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DtlsHashAlgorithm.Sha256;
            return true;
        }

        if (name.Equals("sha-384", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DtlsHashAlgorithm.Sha384;
            return true;
        }

        if (name.Equals("sha-512", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DtlsHashAlgorithm.Sha512;
            return true;
        }

        algorithm = default;
        return false;
    }

    private static bool TryParseHexDigit(char c, out int value)
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

    private static char ToHexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
