namespace Relay.Control.Sessions;

/// <summary>
/// The country calling codes ITU-T assigns (E.164 Annex, list of assigned codes): 1 to 3 digits,
/// prefix-free, so at most one is a prefix of any number. Spare and reserved codes are left out,
/// so a number under one of them is refused as mistyped.
/// </summary>
internal static class CountryCallingCodes
{
    private static readonly HashSet<string> s_codes = Build();

    /// <summary>The code <paramref name="digits"/> starts with, or null if none is assigned.</summary>
    public static string? Match(ReadOnlySpan<char> digits)
    {
        HashSet<string>.AlternateLookup<ReadOnlySpan<char>> lookup = s_codes.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int length = 1; length <= 3 && length <= digits.Length; length++)
        {
            if (lookup.TryGetValue(digits[..length], out string? code))
            {
                return code;
            }
        }

        return null;
    }

    public static bool IsAssigned(string code) => s_codes.Contains(code);

    private static HashSet<string> Build()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        void Add(params int[] values)
        {
            foreach (int value in values)
            {
                codes.Add(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        void Range(int first, int last)
        {
            for (int value = first; value <= last; value++)
            {
                Add(value);
            }
        }

        // Zone 1 (NANP) and 7 (Russia, Kazakhstan).
        Add(1, 7);

        // Zone 2: Africa and some islands.
        Add(20, 27, 211, 212, 213, 216, 218);
        Range(220, 258);
        Range(260, 269);
        Add(290, 291, 297, 298, 299);

        // Zone 3 and 4: Europe.
        Add(30, 31, 32, 33, 34, 36, 39);
        Range(350, 359);
        Range(370, 383);
        Add(385, 386, 387, 389);
        Add(40, 41, 43, 44, 45, 46, 47, 48, 49, 420, 421, 423);

        // Zone 5: the Americas outside NANP.
        Range(51, 58);
        Range(500, 509);
        Range(590, 599);

        // Zone 6: South Pacific and Oceania.
        Range(60, 66);
        Add(670);
        Range(672, 683);
        Range(685, 692);

        // Zone 8: East Asia and global services.
        Add(81, 82, 84, 86, 800, 808, 850, 852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888);

        // Zone 9: West, Central and South Asia, Middle East.
        Add(90, 91, 92, 93, 94, 95, 98);
        Range(960, 968);
        Range(970, 977);
        Add(979);
        Range(992, 996);
        Add(998);
        return codes;
    }
}
