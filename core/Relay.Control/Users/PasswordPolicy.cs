namespace Relay.Control.Users;

/// <summary>
/// What a password must be, after NIST SP 800-63B: long enough, not the user's own name, not one of
/// the passwords every guessing list starts with; no composition rules, which only make people
/// write passwords down.
/// </summary>
public static class PasswordPolicy
{
    public const int MaxLength = 256;

    private const int MinDistinctCharacters = 5;

    private static readonly string[] s_common =
    [
        "password", "passw0rd", "123456", "qwerty", "letmein", "welcome", "admin", "changeme", "iloveyou", "police", "relay",
    ];

    /// <summary>Null when <paramref name="password"/> is acceptable for <paramref name="userName"/>; otherwise what is wrong with it.</summary>
    public static string? Check(string? password, string userName, int minLength)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (string.IsNullOrEmpty(password))
        {
            return "No password was given; there is no default password, so one must be set.";
        }

        if (password.Length < minLength)
        {
            return $"The password is {password.Length} characters; use at least {minLength} (a few unrelated words make a long one easy to remember).";
        }

        if (password.Length > MaxLength)
        {
            return $"The password is longer than {MaxLength} characters.";
        }

        if (userName.Length >= 3 && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            return "The password contains the user name; choose one that does not.";
        }

        if (password.Distinct().Count() < MinDistinctCharacters)
        {
            return $"The password uses fewer than {MinDistinctCharacters} different characters; choose one that is less repetitive.";
        }

        foreach (string common in s_common)
        {
            if (password.Contains(common, StringComparison.OrdinalIgnoreCase) && password.Length < common.Length + minLength)
            {
                return $"The password is built on '{common}', which every guessing list tries first; choose another.";
            }
        }

        return null;
    }
}
