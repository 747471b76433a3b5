using System.Security.Cryptography;
using System.Text;

namespace Relay.Control.Sessions;

/// <summary>
/// The caller's secrets: the link token (in the SMS) and the caller key (minted at Start). Each is
/// 256 random bits, base64url (43 characters). The relay keeps only their SHA-256 hashes.
/// </summary>
public static class CallerSecret
{
    public const int RandomBytes = 32;

    /// <summary>The length of a secret's text.</summary>
    public const int Length = 43;

    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        string secret = System.Buffers.Text.Base64Url.EncodeToString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return secret;
    }

    public static byte[] Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="expectedHash"/>, in constant time.</summary>
    public static bool Matches(string secret, ReadOnlySpan<byte> expectedHash) =>
        expectedHash.Length == SHA256.HashSizeInBytes && CryptographicOperations.FixedTimeEquals(Hash(secret), expectedHash);

    /// <summary>Whether <paramref name="text"/> has the shape of a secret (43 base64url characters); anything else cannot be one.</summary>
    public static bool IsWellFormed(string? text)
    {
        if (text is null || text.Length != Length)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
