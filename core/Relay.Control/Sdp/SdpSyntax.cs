namespace Relay.Control.Sdp;

/// <summary>
/// Character classes and small field readers shared by the parser and the typed attributes
/// (RFC 8866 section 9 grammar). Every reader returns false instead of throwing.
/// </summary>
internal static class SdpSyntax
{
    /// <summary>token-char: visible ASCII except the separators of RFC 8866 section 9.</summary>
    public static bool IsTokenChar(char c) => c switch
    {
        '!' => true,
        >= '#' and <= '\'' => true,
        '*' or '+' or '-' or '.' => true,
        >= '0' and <= '9' => true,
        >= 'A' and <= 'Z' => true,
        >= '^' and <= '~' => true,
        _ => false,
    };

    public static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Visible ASCII without spaces: URIs, addresses, protocol names with slashes.</summary>
    public static bool IsVisibleAscii(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>No characters that would end or corrupt an SDP line: controls other than tab, and DEL.</summary>
    public static bool IsText(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if ((c < ' ' && c != '\t') || c == '\u007F')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Reads 1 to <paramref name="maxDigits"/> ASCII digits as an unsigned number. Signs, spaces and
    /// leading plus are refused, which <c>ulong.TryParse</c> would accept.
    /// </summary>
    public static bool TryParseDigits(ReadOnlySpan<char> value, int maxDigits, out ulong number)
    {
        number = 0;
        if (value.IsEmpty || value.Length > maxDigits || maxDigits > 19)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            number = (number * 10) + (ulong)(c - '0');
        }

        return true;
    }

    public static bool TryParseInt(ReadOnlySpan<char> value, int min, int max, out int number)
    {
        number = 0;
        if (!TryParseDigits(value, 10, out ulong parsed) || parsed < (ulong)min || parsed > (ulong)max)
        {
            return false;
        }

        number = (int)parsed;
        return true;
    }

    public static bool TryParseUInt32(ReadOnlySpan<char> value, out uint number)
    {
        number = 0;
        if (!TryParseDigits(value, 10, out ulong parsed) || parsed > uint.MaxValue)
        {
            return false;
        }

        number = (uint)parsed;
        return true;
    }

    /// <summary>
    /// Splits off the first field of a list separated by single spaces. False if the field is empty
    /// or a separator has nothing after it, so doubled and trailing spaces are refused.
    /// </summary>
    public static bool TryTakeField(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> field)
    {
        int space = rest.IndexOf(' ');
        if (space < 0)
        {
            field = rest;
            rest = [];
            return !field.IsEmpty;
        }

        field = rest[..space];
        rest = rest[(space + 1)..];
        return !field.IsEmpty && !rest.IsEmpty;
    }
}
