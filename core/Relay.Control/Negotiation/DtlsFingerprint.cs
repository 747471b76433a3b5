namespace Relay.Control.Negotiation;

/// <summary>
/// The hash of a DTLS certificate (RFC 8122): the algorithm name as SDP writes it (<c>sha-256</c>)
/// and the hash bytes. The transport compares the peer's certificate against the remote one and
/// announces its own through the answer.
/// </summary>
public sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    /// <summary>The hash every WebRTC endpoint supports and the relay requires.</summary>
    public const string Sha256 = "sha-256";

    private readonly byte[] _value;

    public DtlsFingerprint(string algorithm, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(algorithm);
        int? expected = Sdp.SdpFingerprint.ExpectedLength(algorithm);
        if (expected is null || expected != value.Length)
        {
            throw new ArgumentException($"A {algorithm} fingerprint is not {value.Length} bytes long, or the algorithm is unknown.", nameof(value));
        }

        Algorithm = algorithm.ToLowerInvariant();
        _value = value.ToArray();
    }

    /// <summary>The hash function, lowercase, e.g. <c>sha-256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The hash bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>A SHA-256 fingerprint, the relay's own kind.</summary>
    public static DtlsFingerprint FromSha256(ReadOnlySpan<byte> hash) => new(Sha256, hash);

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

    /// <summary>As SDP writes it: <c>sha-256 AB:CD:...</c>.</summary>
    public override string ToString() => new Sdp.SdpFingerprint(Algorithm, _value).ToString();
}
