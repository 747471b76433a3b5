using System.Globalization;

namespace Relay.Control.Negotiation;

/// <summary>The H.264 profiles the relay accepts, in the relay's order of preference.</summary>
internal enum H264ProfileKind
{
    ConstrainedBaseline,
    Baseline,
    Main,
    ConstrainedHigh,
    High,
}

/// <summary>
/// Reads the profile from an H.264 <c>profile-level-id</c> (RFC 6184 section 8.1): three bytes in
/// hex, profile_idc, profile-iop (the constraint_set flags) and level_idc.
/// </summary>
/// <remarks>
/// <code>
///  profile_idc  profile-iop            level_idc
///  0x42         x1xx0000 constrained   any        42e01f: constrained baseline 3.1 (every browser)
///  0x42         x0xx0000 baseline                 42001f: baseline 3.1 (Chrome)
///  0x4D         1xxx0000 constrained              4d801f would be constrained baseline too
///  0x4D         0xxx0000 main                     4d001f: main 3.1 (Chrome)
///  0x64         00001100 constrained high         640c1f: Safari, its first choice
///  0x64         00000000 high                     64001f: Chrome
/// </code>
/// The constrained-baseline patterns are those a main or extended decoder reads as baseline-only
/// (constraint_set1 for 0x42, constraint_set0 for 0x4D). Other profiles (high 10, 4:2:2, 4:4:4)
/// are refused: browsers cannot all decode them. The level does not matter to a relay that
/// forwards what it receives; offers say level-asymmetry-allowed=1.
/// </remarks>
internal static class H264Profile
{
    /// <summary>
    /// The profile of <paramref name="profileLevelId"/>; null means absent, which RFC 6184 reads as
    /// baseline. False for malformed ids and unsupported profiles.
    /// </summary>
    public static bool TryParse(string? profileLevelId, out H264ProfileKind profile)
    {
        profile = H264ProfileKind.Baseline;
        if (profileLevelId is null)
        {
            return true;
        }

        if (profileLevelId.Length != 6
            || !byte.TryParse(profileLevelId.AsSpan(0, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte profileIdc)
            || !byte.TryParse(profileLevelId.AsSpan(2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte profileIop)
            || !byte.TryParse(profileLevelId.AsSpan(4, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        switch (profileIdc)
        {
            case 0x42 when (profileIop & 0x0F) == 0:
                profile = (profileIop & 0x40) != 0 ? H264ProfileKind.ConstrainedBaseline : H264ProfileKind.Baseline;
                return true;
            case 0x4D when (profileIop & 0x0F) == 0:
                profile = (profileIop & 0x80) != 0 ? H264ProfileKind.ConstrainedBaseline : H264ProfileKind.Main;
                return true;
            case 0x64 when profileIop == 0x0C:
                profile = H264ProfileKind.ConstrainedHigh;
                return true;
            case 0x64 when profileIop == 0x00:
                profile = H264ProfileKind.High;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The format parameters the relay writes for H.264: packetization-mode=1 and the given profile
    /// (none if the offer gave none, which means baseline).
    /// </summary>
    public static string FormatParameters(string? profileLevelId) => profileLevelId is null
        ? "level-asymmetry-allowed=1;packetization-mode=1"
        : "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=" + profileLevelId.ToLowerInvariant();

    /// <summary>How a reason names a profile: "constrained baseline".</summary>
    public static string Describe(H264ProfileKind profile) => profile switch
    {
        H264ProfileKind.ConstrainedBaseline => "constrained baseline",
        H264ProfileKind.Baseline => "baseline",
        H264ProfileKind.Main => "main",
        H264ProfileKind.ConstrainedHigh => "constrained high",
        _ => "high",
    };
}
