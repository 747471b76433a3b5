namespace Relay.Control.Negotiation;

/// <summary>
/// The syntax of <c>ice-ufrag</c> and <c>ice-pwd</c> (RFC 8839 section 5.4): 4 to 256 and 22 to 256
/// ice-chars (letters, digits, '+' and '/'), at least 24 and 128 bits of randomness.
/// </summary>
internal static class IceCredentials
{
    public const int MinUsernameFragmentLength = 4;
    public const int MinPasswordLength = 22;
    public const int MaxLength = 256;

    public static bool IsValidUsernameFragment(string? value) => IsValid(value, MinUsernameFragmentLength);

    public static bool IsValidPassword(string? value) => IsValid(value, MinPasswordLength);

    private static bool IsValid(string? value, int minLength)
    {
        if (value is null || value.Length < minLength || value.Length > MaxLength)
        {
            return false;
        }

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
