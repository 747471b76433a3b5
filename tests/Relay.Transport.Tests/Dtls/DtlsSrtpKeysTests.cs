using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

public class DtlsSrtpKeysTests
{
    // RFC 5764 section 4.1.2 and RFC 7714 section 14.2: identifiers and master key/salt lengths.
    [Theory]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1Tag80, 0x0001, 16, 14)]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1Tag32, 0x0002, 16, 14)]
    [InlineData(DtlsSrtpProfile.AeadAes128Gcm, 0x0007, 16, 12)]
    [InlineData(DtlsSrtpProfile.AeadAes256Gcm, 0x0008, 32, 12)]
    public void Profiles_HaveTheirRfcIdentifiersAndLengths(DtlsSrtpProfile profile, int id, int keyLength, int saltLength)
    {
        Assert.Equal(id, (ushort)profile);
        Assert.Equal(keyLength, DtlsSrtpKeys.GetMasterKeyLength(profile));
        Assert.Equal(saltLength, DtlsSrtpKeys.GetMasterSaltLength(profile));
    }

    // RFC 5764 section 4.2: client key | server key | client salt | server salt.
    [Theory]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1Tag80)]
    [InlineData(DtlsSrtpProfile.AeadAes128Gcm)]
    [InlineData(DtlsSrtpProfile.AeadAes256Gcm)]
    public void FromExportedKeyingMaterial_GivesTheClientPairToTheClientAndTheServerPairToTheServer(DtlsSrtpProfile profile)
    {
        int key = DtlsSrtpKeys.GetMasterKeyLength(profile);
        int salt = DtlsSrtpKeys.GetMasterSaltLength(profile);
        byte[] exported = new byte[2 * (key + salt)];
        for (int i = 0; i < exported.Length; i++)
        {
            exported[i] = (byte)i;
        }

        byte[] clientKey = exported[..key];
        byte[] serverKey = exported[key..(2 * key)];
        byte[] clientSalt = exported[(2 * key)..((2 * key) + salt)];
        byte[] serverSalt = exported[((2 * key) + salt)..];

        DtlsSrtpKeys client = DtlsSrtpKeys.FromExportedKeyingMaterial(profile, DtlsRole.Client, exported);
        DtlsSrtpKeys server = DtlsSrtpKeys.FromExportedKeyingMaterial(profile, DtlsRole.Server, exported);

        Assert.Equal(clientKey, client.LocalMasterKey.ToArray());
        Assert.Equal(clientSalt, client.LocalMasterSalt.ToArray());
        Assert.Equal(serverKey, client.RemoteMasterKey.ToArray());
        Assert.Equal(serverSalt, client.RemoteMasterSalt.ToArray());
        Assert.Equal(serverKey, server.LocalMasterKey.ToArray());
        Assert.Equal(serverSalt, server.LocalMasterSalt.ToArray());
        Assert.Equal(clientKey, server.RemoteMasterKey.ToArray());
        Assert.Equal(clientSalt, server.RemoteMasterSalt.ToArray());
        Assert.Equal(profile, client.Profile);
    }

    [Fact]
    public void FromExportedKeyingMaterial_RejectsTheWrongLength()
    {
        Assert.Throws<ArgumentException>(() =>
            DtlsSrtpKeys.FromExportedKeyingMaterial(DtlsSrtpProfile.AeadAes128Gcm, DtlsRole.Client, new byte[60]));
    }
}
