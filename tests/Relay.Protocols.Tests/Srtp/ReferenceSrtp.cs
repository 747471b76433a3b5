using System.Buffers.Binary;
using System.Security.Cryptography;
using Relay.Protocols.Srtp;

namespace Relay.Protocols.Tests.Srtp;

/// <summary>
/// A second, deliberately plain SRTP implementation written straight from the RFC text for the tests
/// to check <see cref="SrtpSession"/> against: one AES-ECB call per keystream block, one-shot HMAC,
/// one-shot GCM, arrays everywhere. It shares no code with the production path.
/// </summary>
internal static class ReferenceSrtp
{
    /// <summary>RFC 3711 section 4.3.1 with kdr = 0; a 12-byte GCM salt gets two zero bytes appended (RFC 7714 erratum 4938).</summary>
    public static byte[] Derive(byte[] masterKey, byte[] masterSalt, byte label, int length)
    {
        var x = new byte[14];
        masterSalt.CopyTo(x, 0);
        x[7] ^= label;
        var iv = new byte[16];
        x.CopyTo(iv, 0);
        return Keystream(masterKey, iv, length);
    }

    /// <summary>E(k, IV + j) for j = 0, 1, ... with a full 128-bit big-endian increment.</summary>
    public static byte[] Keystream(byte[] key, byte[] iv, int length)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var output = new byte[(length + 15) / 16 * 16];
        var counter = (byte[])iv.Clone();
        for (int offset = 0; offset < output.Length; offset += 16)
        {
            aes.EncryptEcb(counter, PaddingMode.None).CopyTo(output, offset);
            for (int i = 15; i >= 0 && ++counter[i] == 0; i--)
            {
            }
        }

        return output[..length];
    }

    public static byte[] AesCmIv(byte[] sessionSalt, uint ssrc, ulong index)
    {
        var iv = new byte[16];
        sessionSalt.CopyTo(iv, 0);
        var ssrcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ssrcBytes, ssrc);
        for (int i = 0; i < 4; i++)
        {
            iv[4 + i] ^= ssrcBytes[i];
        }

        for (int i = 0; i < 6; i++)
        {
            iv[8 + i] ^= (byte)(index >> (8 * (5 - i)));
        }

        return iv;
    }

    public static byte[] GcmIv(byte[] sessionSalt, uint ssrc, ulong index)
    {
        var iv = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(iv.AsSpan(2), ssrc);
        for (int i = 0; i < 6; i++)
        {
            iv[6 + i] = (byte)(index >> (8 * (5 - i)));
        }

        for (int i = 0; i < 12; i++)
        {
            iv[i] ^= sessionSalt[i];
        }

        return iv;
    }

    public static byte[] ProtectRtp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, byte[] rtp, int headerLength, uint rolloverCounter)
    {
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtp.AsSpan(8));
        ulong index = ((ulong)rolloverCounter << 16) | BinaryPrimitives.ReadUInt16BigEndian(rtp.AsSpan(2));
        byte[] key = Derive(masterKey, masterSalt, 0x00, profile.MasterKeyLength);
        byte[] salt = Derive(masterKey, masterSalt, 0x02, profile.MasterSaltLength);
        byte[] header = rtp[..headerLength];
        byte[] payload = rtp[headerLength..];

        if (profile.IsAead)
        {
            var ciphertext = new byte[payload.Length];
            var tag = new byte[16];
            using var gcm = new AesGcm(key, 16);
            gcm.Encrypt(GcmIv(salt, ssrc, index), payload, ciphertext, tag, header);
            return [.. header, .. ciphertext, .. tag];
        }

        byte[] authenticationKey = Derive(masterKey, masterSalt, 0x01, 20);
        byte[] keystream = Keystream(key, AesCmIv(salt, ssrc, index), payload.Length);
        byte[] encrypted = [.. header, .. payload.Select((b, i) => (byte)(b ^ keystream[i]))];
        var roc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, rolloverCounter);
        byte[] mac = HMACSHA1.HashData(authenticationKey, encrypted.Concat(roc).ToArray());
        return [.. encrypted, .. mac[..profile.RtpTagLength]];
    }

    public static byte[] ProtectRtcp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, byte[] rtcp, uint index, bool encrypt = true)
    {
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtcp.AsSpan(4));
        byte[] key = Derive(masterKey, masterSalt, 0x03, profile.MasterKeyLength);
        byte[] salt = Derive(masterKey, masterSalt, 0x05, profile.MasterSaltLength);
        var word = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (encrypt ? 0x8000_0000u : 0) | index);
        byte[] header = rtcp[..8];
        byte[] payload = rtcp[8..];

        if (profile.IsAead)
        {
            var tag = new byte[16];
            using var gcm = new AesGcm(key, 16);
            if (encrypt)
            {
                var ciphertext = new byte[payload.Length];
                gcm.Encrypt(GcmIv(salt, ssrc, index), payload, ciphertext, tag, header.Concat(word).ToArray());
                return [.. header, .. ciphertext, .. tag, .. word];
            }

            gcm.Encrypt(GcmIv(salt, ssrc, index), Array.Empty<byte>(), Array.Empty<byte>(), tag, rtcp.Concat(word).ToArray());
            return [.. rtcp, .. tag, .. word];
        }

        byte[] authenticationKey = Derive(masterKey, masterSalt, 0x04, 20);
        byte[] body = payload;
        if (encrypt)
        {
            byte[] keystream = Keystream(key, AesCmIv(salt, ssrc, index), payload.Length);
            body = payload.Select((b, i) => (byte)(b ^ keystream[i])).ToArray();
        }

        byte[] authenticated = [.. header, .. body, .. word];
        byte[] mac = HMACSHA1.HashData(authenticationKey, authenticated);
        return [.. authenticated, .. mac[..profile.RtcpTagLength]];
    }
}
