using Relay.Protocols.Srtp;

namespace Relay.Protocols.Tests.Srtp;

public class SrtpProfileTests
{
    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1Tag80, 0x0001, 16, 14, 20, 10, 10, false)]
    [InlineData(SrtpProfile.AesCm128HmacSha1Tag32, 0x0002, 16, 14, 20, 4, 10, false)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 0x0007, 16, 12, 0, 16, 16, true)]
    [InlineData(SrtpProfile.AeadAes256Gcm, 0x0008, 32, 12, 0, 16, 16, true)]
    public void Profiles_CarryTheParametersTheRfcsTabulate(
        SrtpProfile profile, int id, int keyLength, int saltLength, int authenticationKeyLength, int rtpTag, int rtcpTag, bool aead)
    {
        Assert.Equal(id, profile.ProtectionProfileId);
        Assert.Equal(keyLength, profile.MasterKeyLength);
        Assert.Equal(saltLength, profile.MasterSaltLength);
        Assert.Equal(authenticationKeyLength, profile.AuthenticationKeyLength);
        Assert.Equal(rtpTag, profile.RtpTagLength);
        Assert.Equal(rtcpTag, profile.RtcpTagLength);
        Assert.Equal(aead, profile.IsAead);
        Assert.Equal(2 * (keyLength + saltLength), profile.KeyingMaterialLength);
        Assert.True(SrtpProfileExtensions.TryFromProtectionProfileId((ushort)id, out SrtpProfile parsed));
        Assert.Equal(profile, parsed);
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x0005)]
    [InlineData(0x0006)]
    [InlineData(0x0009)]
    [InlineData(0xFFFF)]
    public void TryFromProtectionProfileId_RefusesProfilesItDoesNotImplement(int id)
    {
        Assert.False(SrtpProfileExtensions.TryFromProtectionProfileId((ushort)id, out _));
        Assert.False(((SrtpProfile)id).IsSupported);
        Assert.Throws<ArgumentOutOfRangeException>(() => ((SrtpProfile)id).MasterKeyLength);
    }

    [Theory]
    [MemberData(nameof(SrtpTestData.AllProfiles), MemberType = typeof(SrtpTestData))]
    public void Session_RefusesKeysAndSaltsOfTheWrongLength(SrtpProfile profile)
    {
        byte[] key = SrtpTestData.MasterKey(profile);
        byte[] salt = SrtpTestData.MasterSalt(profile);

        Assert.Throws<ArgumentException>(() => new SrtpSession(profile, key.AsSpan(1), salt));
        Assert.Throws<ArgumentException>(() => new SrtpSession(profile, key, salt.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => new SrtpSession(profile, key, [.. salt, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SrtpSession(profile, key, salt, maxSsrcs: 0));
    }
}
