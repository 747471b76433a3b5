using System.Diagnostics.CodeAnalysis;

namespace Relay.Control.Sessions;

/// <summary>
/// A phone number in E.164 (ITU-T E.164): '+', then 8 to 15 ASCII digits, the first of which begin
/// an assigned country calling code. Nothing is normalised: spaces, national forms ("07700..."),
/// other scripts' digits and invisible characters are refused, so what is stored is what is sent.
/// </summary>
/// <param name="Value">The number as given, e.g. "+447700900123".</param>
/// <param name="CountryCode">Its country calling code without '+', e.g. "44".</param>
public sealed record PhoneNumber(string Value, string CountryCode)
{
    public const int MinDigits = 8;
    public const int MaxDigits = 15;

    public static bool TryParse(string? text, [NotNullWhen(true)] out PhoneNumber? number)
    {
        number = null;
        if (text is null || text.Length < MinDigits + 1 || text.Length > MaxDigits + 1 || text[0] != '+')
        {
            return false;
        }

        for (int i = 1; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        string? code = CountryCallingCodes.Match(text.AsSpan(1));
        if (code is null)
        {
            return false;
        }

        number = new PhoneNumber(text, code);
        return true;
    }

    /// <summary>Whether <paramref name="code"/> (digits, no '+') is an assigned country calling code.</summary>
    public static bool IsCountryCode(string? code) => code is not null && CountryCallingCodes.IsAssigned(code);

    public override string ToString() => Value;
}
