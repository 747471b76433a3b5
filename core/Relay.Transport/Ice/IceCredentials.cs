using System.Security.Cryptography;
using System.Text;

namespace Relay.Transport.Ice;

/// <summary>
/// An ICE username fragment and password (RFC 8839 section 5.4): the ufrag names the agent in
/// USERNAME, the password keys MESSAGE-INTEGRITY.
/// </summary>
/// <remarks>
/// Grammar: <c>ice-ufrag = 4*256ice-char</c>, <c>ice-pwd = 22*256ice-char</c>,
/// <c>ice-char = ALPHA / DIGIT / "+" / "/"</c>. The ufrag needs at least 24 bits of randomness and
/// the password at least 128 (RFC 8445 section 5.3). <see cref="Generate"/> makes an 8-character
/// ufrag (48 bits) and a 24-character password (144 bits): ice-char has exactly 64 characters, so
/// each random byte's low 6 bits pick one without bias. The byte forms are what the packet path
/// compares and hashes with; ice-chars are ASCII, so they are also the UTF-8 OpaqueString of
/// RFC 8489 section 9.1.1.
/// </remarks>
public sealed class IceCredentials
{
    public const int GeneratedUfragLength = 8;
    public const int GeneratedPasswordLength = 24;
    public const int MinUfragLength = 4;
    public const int MinPasswordLength = 22;
    public const int MaxLength = 256;

    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private readonly byte[] _ufragBytes;
    private readonly byte[] _passwordBytes;

    private IceCredentials(string ufrag, string password)
    {
        Ufrag = ufrag;
        Password = password;
        _ufragBytes = Encoding.ASCII.GetBytes(ufrag);
        _passwordBytes = Encoding.ASCII.GetBytes(password);
    }

    public string Ufrag { get; }

    public string Password { get; }

    /// <summary>The ufrag's ASCII bytes, as USERNAME carries it.</summary>
    public ReadOnlySpan<byte> UfragBytes => _ufragBytes;

    /// <summary>The password's ASCII bytes: the MESSAGE-INTEGRITY key.</summary>
    public ReadOnlySpan<byte> PasswordBytes => _passwordBytes;

    /// <summary>Makes fresh local credentials from <paramref name="random"/>, a cryptographic source in production.</summary>
    public static IceCredentials Generate(RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[GeneratedUfragLength + GeneratedPasswordLength];
        random.GetBytes(bytes);
        Span<char> chars = stackalloc char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[i] = IceChars[bytes[i] & 63];
        }

        CryptographicOperations.ZeroMemory(bytes);
        return new IceCredentials(
            new string(chars.Slice(0, GeneratedUfragLength)),
            new string(chars.Slice(GeneratedUfragLength)));
    }

    /// <summary>Takes credentials from signalling (the remote peer's, or configured ones), checking the grammar.</summary>
    /// <exception cref="ArgumentException">A value is too short, too long, or has a character outside ice-char.</exception>
    public static IceCredentials Create(string ufrag, string password)
    {
        ArgumentNullException.ThrowIfNull(ufrag);
        ArgumentNullException.ThrowIfNull(password);
        if (!IsValidUfrag(ufrag))
        {
            throw new ArgumentException("An ICE ufrag is 4 to 256 characters of A-Z, a-z, 0-9, '+' and '/'.", nameof(ufrag));
        }

        if (!IsValidPassword(password))
        {
            throw new ArgumentException("An ICE password is 22 to 256 characters of A-Z, a-z, 0-9, '+' and '/'.", nameof(password));
        }

        return new IceCredentials(ufrag, password);
    }

    public static bool IsValidUfrag(ReadOnlySpan<char> ufrag) =>
        ufrag.Length is >= MinUfragLength and <= MaxLength && IsIceChars(ufrag);

    public static bool IsValidPassword(ReadOnlySpan<char> password) =>
        password.Length is >= MinPasswordLength and <= MaxLength && IsIceChars(password);

    public override string ToString() => Ufrag;

    private static bool IsIceChars(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                return false;
            }
        }

        return true;
    }
}
