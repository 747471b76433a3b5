namespace Relay.Control.Chat;

/// <summary>Checks the text of a chat message: present, short, no control characters except line breaks.</summary>
public static class ChatText
{
    public const int MaxLength = 1_000;

    /// <summary>Null and the trimmed text when sound; otherwise the reason.</summary>
    public static string? Validate(string? text, out string trimmed)
    {
        trimmed = string.Empty;
        if (text is null || string.IsNullOrWhiteSpace(text))
        {
            return "text must not be empty";
        }

        string value = text.Trim();
        if (value.Length > MaxLength)
        {
            return $"text must be at most {MaxLength} characters";
        }

        foreach (char c in value)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return "text must not hold control characters";
            }

            if (char.IsSurrogate(c) && !HasValidSurrogates(value))
            {
                return "text must be valid Unicode";
            }
        }

        trimmed = value;
        return null;
    }

    private static bool HasValidSurrogates(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
