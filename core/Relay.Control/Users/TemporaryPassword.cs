using System.Security.Cryptography;

namespace Relay.Control.Users;

/// <summary>
/// The one-time password an engineer's reset gives: random letters and digits from an alphabet with no look-alikes
/// (no 0/O, 1/l/I), in groups of four for reading aloud or typing from a screen. At least 100 random bits, and never
/// shorter than the password rule asks; it always passes <see cref="PasswordPolicy"/>.
/// </summary>
public static class TemporaryPassword
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private const int MinCharacters = 20;
    private const int GroupLength = 4;

    public static string Create(string userName, int minLength)
    {
        ArgumentNullException.ThrowIfNull(userName);
        int characters = Math.Max(MinCharacters, minLength);
        while (true)
        {
            var text = new System.Text.StringBuilder(characters + characters / GroupLength);
            for (int i = 0; i < characters; i++)
            {
                if (i > 0 && i % GroupLength == 0)
                {
                    text.Append('-');
                }

                text.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
            }

            string password = text.ToString();
            if (PasswordPolicy.Check(password, userName, minLength) is null)
            {
                return password;
            }
        }
    }
}
