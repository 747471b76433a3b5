using Relay.Protocols.Srtp;
using static Relay.Protocols.Tests.Srtp.SrtpTestData;

namespace Relay.Protocols.Tests.Srtp;

public class SrtpDtlsKeyingMaterialTests
{
    /// <summary>
    /// RFC 5764 section 4.2 order: client key, server key, client salt, server salt. The client's
    /// outbound session must match one built from the client key and salt, and pair with the
    /// server's inbound one; likewise the other way.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllProfiles), MemberType = typeof(SrtpTestData))]
    public void KeyingMaterial_SplitsIntoClientAndServerWriteKeys(SrtpProfile profile)
    {
        byte[] material = Enumerable.Range(0, profile.KeyingMaterialLength).Select(i => (byte)(i * 5 + 1)).ToArray();
        int key = profile.MasterKeyLength;
        int salt = profile.MasterSaltLength;
        byte[] clientKey = material[..key];
        byte[] clientSalt = material[(2 * key)..((2 * key) + salt)];

        (SrtpSession clientOut, SrtpSession clientIn) = SrtpSession.CreateFromDtlsKeyingMaterial(profile, material, isDtlsClient: true);
        (SrtpSession serverOut, SrtpSession serverIn) = SrtpSession.CreateFromDtlsKeyingMaterial(profile, material, isDtlsClient: false);
        using var reference = new SrtpSession(profile, clientKey, clientSalt);

        byte[] rtp = RtpPacket(42, 7, 100);
        byte[] fromClient = ProtectRtp(clientOut, rtp);
        Assert.Equal(ProtectRtp(reference, rtp), fromClient);
        Assert.Equal(rtp, UnprotectRtp(serverIn, fromClient).Plain);

        byte[] fromServer = ProtectRtp(serverOut, rtp);
        Assert.NotEqual(fromClient, fromServer);
        Assert.Equal(rtp, UnprotectRtp(clientIn, fromServer).Plain);

        Assert.Throws<ArgumentException>(() => SrtpSession.CreateFromDtlsKeyingMaterial(profile, material.AsSpan(1), isDtlsClient: true));
    }
}
