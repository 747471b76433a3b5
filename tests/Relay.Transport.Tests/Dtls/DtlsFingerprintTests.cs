using System.Security.Cryptography;
using Relay.Testing;
using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

public class DtlsFingerprintTests
{
    private const string Sha256Text =
        "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

    [Fact]
    public void Parse_ReadsTheSdpForm_AndToStringWritesItBack()
    {
        DtlsFingerprint fingerprint = DtlsFingerprint.Parse(Sha256Text);

        Assert.Equal(DtlsHashAlgorithm.Sha256, fingerprint.Algorithm);
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF"), fingerprint.Value.ToArray());
        Assert.Equal(Sha256Text, fingerprint.ToString());
    }

    [Fact]
    public void Parse_AcceptsAnyCaseAndSurroundingSpace_AndWritesTheCanonicalForm()
    {
        DtlsFingerprint fingerprint = DtlsFingerprint.Parse("  SHA-256  " + Sha256Text[8..].ToLowerInvariant() + " ");

        Assert.Equal(Sha256Text, fingerprint.ToString());
    }

    [Theory]
    [InlineData(DtlsHashAlgorithm.Sha256, "sha-256", 32)]
    [InlineData(DtlsHashAlgorithm.Sha384, "sha-384", 48)]
    [InlineData(DtlsHashAlgorithm.Sha512, "sha-512", 64)]
    public void Compute_HashesTheDer_AndRoundTripsThroughText(DtlsHashAlgorithm algorithm, string name, int length)
    {
        byte[] der = TestCertificates.Client.RawData.ToArray();
        byte[] expected = algorithm switch
        {
            DtlsHashAlgorithm.Sha256 => SHA256.HashData(der),
            DtlsHashAlgorithm.Sha384 => SHA384.HashData(der),
            _ => SHA512.HashData(der),
        };

        DtlsFingerprint fingerprint = DtlsFingerprint.Compute(algorithm, der);

        Assert.Equal(length, fingerprint.Value.Length);
        Assert.Equal(expected, fingerprint.Value.ToArray());
        Assert.StartsWith(name + " ", fingerprint.ToString(), StringComparison.Ordinal);
        Assert.Equal(fingerprint.ToString(), DtlsFingerprint.Parse(fingerprint.ToString()).ToString());
    }

    [Fact]
    public void Matches_IsTrueOnlyForTheCertificateHashed()
    {
        DtlsFingerprint fingerprint = TestCertificates.Client.GetFingerprint(DtlsHashAlgorithm.Sha512);

        Assert.True(fingerprint.Matches(TestCertificates.Client.RawData));
        Assert.False(fingerprint.Matches(TestCertificates.Server.RawData));
        Assert.False(fingerprint.Matches([]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha-256")]
    [InlineData("sha-256 ")]
    [InlineData("sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB")]
    [InlineData("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF")]
    [InlineData("sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF")]
    [InlineData("sha-256 00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF")]
    [InlineData("sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:GG")]
    [InlineData("sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE-FF")]
    [InlineData("sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00")]
    [InlineData("sha-384 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF")]
    [InlineData("sha256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF")]
    public void TryParse_RejectsAnythingButASupportedHashAndItsHexBytes(string text)
    {
        Assert.False(DtlsFingerprint.TryParse(text, out DtlsFingerprint? fingerprint));
        Assert.Null(fingerprint);
        Assert.Throws<FormatException>(() => DtlsFingerprint.Parse(text));
    }

    [Fact]
    public void TryParse_RejectsNull()
    {
        Assert.False(DtlsFingerprint.TryParse(null, out _));
    }

    [Fact]
    public void TryParse_RejectsEveryTruncationAndNeverThrowsOnCorruptions()
    {
        byte[] text = System.Text.Encoding.ASCII.GetBytes(Sha256Text);
        foreach (byte[] truncated in HostileInput.Truncations(text))
        {
            Assert.False(DtlsFingerprint.TryParse(System.Text.Encoding.Latin1.GetString(truncated), out _));
        }

        foreach ((int _, byte[] corrupted) in HostileInput.Corruptions(text))
        {
            string candidate = System.Text.Encoding.Latin1.GetString(corrupted);
            if (DtlsFingerprint.TryParse(candidate, out DtlsFingerprint? fingerprint))
            {
                Assert.Equal(32, fingerprint.Value.Length);
            }
        }
    }

    [Fact]
    public void Create_RequiresTheHashLengthOfTheAlgorithm()
    {
        Assert.Throws<ArgumentException>(() => DtlsFingerprint.Create(DtlsHashAlgorithm.Sha384, new byte[32]));
        Assert.Equal(48, DtlsFingerprint.Create(DtlsHashAlgorithm.Sha384, new byte[48]).Value.Length);
    }
}
