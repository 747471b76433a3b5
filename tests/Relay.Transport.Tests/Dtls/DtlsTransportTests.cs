using Relay.Transport.Dtls;

namespace Relay.Transport.Tests.Dtls;

public class DtlsTransportTests
{
    [Theory]
    [InlineData(DtlsSrtpProfile.AeadAes128Gcm)]
    [InlineData(DtlsSrtpProfile.AeadAes256Gcm)]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1Tag80)]
    [InlineData(DtlsSrtpProfile.Aes128CmHmacSha1Tag32)]
    public void Handshake_CompletesWithCrossedKeys_ForEachSrtpProfile(DtlsSrtpProfile profile)
    {
        using var link = new DtlsLink(client: o => new DtlsTransportOptions
        {
            Role = o.Role,
            Certificate = o.Certificate,
            RemoteFingerprint = o.RemoteFingerprint,
            SrtpProfiles = [profile],
        });

        link.Run();

        Assert.Equal(DtlsState.Connected, link.Server.State);
        Assert.Equal(DtlsState.Connected, link.Client.State);
        DtlsSrtpKeys server = link.Server.SrtpKeys!;
        DtlsSrtpKeys client = link.Client.SrtpKeys!;
        Assert.Equal(profile, server.Profile);
        Assert.Equal(profile, client.Profile);
        Assert.Equal((ushort)profile, server.ProfileId);
        Assert.Equal(DtlsSrtpKeys.GetMasterKeyLength(profile), server.LocalMasterKey.Length);
        Assert.Equal(DtlsSrtpKeys.GetMasterSaltLength(profile), server.LocalMasterSalt.Length);
        Assert.True(server.LocalMasterKey.SequenceEqual(client.RemoteMasterKey));
        Assert.True(server.LocalMasterSalt.SequenceEqual(client.RemoteMasterSalt));
        Assert.True(server.RemoteMasterKey.SequenceEqual(client.LocalMasterKey));
        Assert.True(server.RemoteMasterSalt.SequenceEqual(client.LocalMasterSalt));
        Assert.False(server.LocalMasterKey.SequenceEqual(server.RemoteMasterKey));
    }
}
