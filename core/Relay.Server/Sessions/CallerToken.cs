using System.Security.Cryptography;
using System.Text;

namespace Relay.Server.Sessions;

/// <summary>
/// The secret in the caller's link: 256 random bits, base64url (43 characters). The relay keeps
/// only <see cref="Hash"/>; the token itself exists in the SMS and the caller's browser.
/// </summary>
internal static class CallerToken
{
    public const int RandomBytes = 32;

    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        string token = System.Buffers.Text.Base64Url.EncodeToString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return token;
    }

    public static byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Whether <paramref name="token"/> hashes to <paramref name="expectedHash"/>, in constant time.</summary>
    public static bool Matches(string token, ReadOnlySpan<byte> expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(token), expectedHash);
}
