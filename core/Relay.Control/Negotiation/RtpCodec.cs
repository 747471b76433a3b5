using System.Diagnostics.CodeAnalysis;

namespace Relay.Control.Negotiation;

/// <summary>
/// A codec as RTP describes it: encoding name, clock rate, channels (audio) and format parameters
/// (the <c>a=fmtp</c> text). The payload type is per peer and kept apart, in <see cref="NegotiatedMedia"/>.
/// </summary>
public sealed record RtpCodec(string Name, int ClockRate, int? Channels = null, string? FormatParameters = null)
{
    public const string Vp8Name = "VP8";
    public const string H264Name = "H264";
    public const string OpusName = "opus";

    /// <summary>VP8 (RFC 7741).</summary>
    public static RtpCodec Vp8 { get; } = new(Vp8Name, 90000);

    /// <summary>Opus (RFC 7587), always written 48000/2, with in-band FEC as browsers offer it.</summary>
    public static RtpCodec Opus { get; } = new(OpusName, 48000, 2, "minptime=10;useinbandfec=1");

    /// <summary>The kind of media this codec carries, if it is one the relay supports.</summary>
    public MediaKind? Kind => IsNamed(OpusName) ? MediaKind.Audio : IsNamed(Vp8Name) || IsNamed(H264Name) ? MediaKind.Video : null;

    /// <summary>
    /// H.264 (RFC 6184) with packetization-mode=1 and the given profile-level-id, e.g. <c>42e01f</c>
    /// (constrained baseline, level 3.1). Throws if the profile is not one the relay supports.
    /// </summary>
    public static RtpCodec H264(string profileLevelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(profileLevelId);
        if (!H264Profile.TryParse(profileLevelId, out _))
        {
            throw new ArgumentException($"'{profileLevelId}' is not an H.264 profile-level-id the relay supports.", nameof(profileLevelId));
        }

        return new RtpCodec(H264Name, 90000, null, H264Profile.FormatParameters(profileLevelId));
    }

    /// <summary>Whether the encoding name is <paramref name="name"/>; RTP encoding names ignore case.</summary>
    public bool IsNamed(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of one <c>key=value</c> format parameter.</summary>
    internal bool TryGetParameter(string key, [NotNullWhen(true)] out string? value)
    {
        value = null;
        return FormatParameters is not null
            && new Sdp.SdpFormatParameters(0, FormatParameters).TryGetParameter(key, out value);
    }
}
