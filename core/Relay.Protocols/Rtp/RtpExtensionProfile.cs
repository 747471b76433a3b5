namespace Relay.Protocols.Rtp;

/// <summary>
/// The "defined by profile" values of RFC 8285 section 4 and the limits of each element form.
/// </summary>
public static class RtpExtensionProfile
{
    /// <summary>The one-byte form's fixed pattern (RFC 8285 section 4.2).</summary>
    public const ushort OneByte = 0xBEDE;

    /// <summary>The two-byte form's pattern with the app bits clear (RFC 8285 section 4.3).</summary>
    public const ushort TwoByte = 0x1000;

    /// <summary>The bits of the profile that identify the two-byte form; the low 4 are app bits.</summary>
    public const ushort TwoByteMask = 0xFFF0;

    /// <summary>The highest id the one-byte form can carry; 15 is reserved and stops parsing.</summary>
    public const int MaxOneByteId = 14;

    /// <summary>The id that ends processing of a one-byte block (RFC 8285 section 4.2).</summary>
    public const int OneByteTerminatorId = 15;

    /// <summary>The most data bytes a one-byte element can hold (its length nibble plus one).</summary>
    public const int MaxOneByteLength = 16;

    /// <summary>The highest id the two-byte form can carry.</summary>
    public const int MaxTwoByteId = 255;

    /// <summary>The most data bytes a two-byte element can hold.</summary>
    public const int MaxTwoByteLength = 255;

    /// <summary>Which element form a profile value announces.</summary>
    public static RtpExtensionForm GetForm(ushort profile)
    {
        if (profile == OneByte)
        {
            return RtpExtensionForm.OneByte;
        }

        return (profile & TwoByteMask) == TwoByte ? RtpExtensionForm.TwoByte : RtpExtensionForm.Other;
    }

    /// <summary>Whether <paramref name="id"/> can name an element in <paramref name="form"/>.</summary>
    public static bool IsValidId(RtpExtensionForm form, int id) => form switch
    {
        RtpExtensionForm.OneByte => id is >= 1 and <= MaxOneByteId,
        RtpExtensionForm.TwoByte => id is >= 1 and <= MaxTwoByteId,
        _ => false,
    };
}
