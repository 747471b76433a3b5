using System.Diagnostics.CodeAnalysis;
using Relay.Control.Sdp;

namespace Relay.Control.Negotiation;

/// <summary>
/// The payload types one offered media section lists, with their rtpmap, fmtp and rtcp-fb lines,
/// and the choices the relay makes among them. Attributes for payload types not on the m= line
/// are ignored; malformed ones are skipped.
/// </summary>
internal sealed class OfferedCodecs
{
    private const string RtxName = "rtx";

    // Why VP8 sits between baseline and main: viewers decode whatever the relay forwards, and
    // Firefox's OpenH264 decodes only (constrained) baseline, while every browser decodes VP8.
    private const int Vp8Rank = 2;

    private readonly MediaDescription _media;
    private readonly List<int> _payloadTypes = [];
    private readonly bool[] _listed = new bool[128];
    private readonly Dictionary<int, SdpRtpMap> _rtpMaps = [];
    private readonly Dictionary<int, SdpFormatParameters> _fmtps = [];

    public OfferedCodecs(MediaDescription media)
    {
        _media = media;
        foreach (string format in media.Formats)
        {
            if (SdpSyntax.TryParseInt(format, 0, 127, out int pt) && !_listed[pt])
            {
                _listed[pt] = true;
                _payloadTypes.Add(pt);
            }
        }

        foreach (SdpAttributeLine line in media.FindAttributes(SdpAttributeNames.RtpMap))
        {
            if (SdpRtpMap.TryParse(line.Value, out SdpRtpMap? map) && _listed[map.PayloadType])
            {
                _rtpMaps.TryAdd(map.PayloadType, map);
            }
        }

        foreach (SdpAttributeLine line in media.FindAttributes(SdpAttributeNames.Fmtp))
        {
            if (SdpFormatParameters.TryParse(line.Value, out SdpFormatParameters? fmtp) && _listed[fmtp.PayloadType])
            {
                _fmtps.TryAdd(fmtp.PayloadType, fmtp);
            }
        }
    }

    /// <summary>
    /// The relay's preferred video codec among those offered: H.264 constrained baseline, baseline,
    /// VP8, then H.264 main, constrained high and high, all H.264 with packetization-mode=1. Ties go
    /// to the offerer's order.
    /// </summary>
    public bool TrySelectVideo([NotNullWhen(true)] out CodecChoice? choice)
    {
        choice = null;
        int bestRank = int.MaxValue;
        int bestPt = -1;
        RtpCodec? bestCodec = null;
        foreach (int pt in _payloadTypes)
        {
            if (!_rtpMaps.TryGetValue(pt, out SdpRtpMap? map) || map.ClockRate != 90000)
            {
                continue;
            }

            int rank;
            RtpCodec codec;
            if (IsName(map, RtpCodec.Vp8Name))
            {
                rank = Vp8Rank;
                codec = RtpCodec.Vp8;
            }
            else if (TryReadH264(pt, map, out H264ProfileKind profile, out string? profileLevelId))
            {
                rank = profile switch
                {
                    H264ProfileKind.ConstrainedBaseline => 0,
                    H264ProfileKind.Baseline => 1,
                    H264ProfileKind.Main => 3,
                    H264ProfileKind.ConstrainedHigh => 4,
                    _ => 5,
                };
                codec = new RtpCodec(RtpCodec.H264Name, 90000, null, H264Profile.FormatParameters(profileLevelId));
            }
            else
            {
                continue;
            }

            if (rank < bestRank)
            {
                bestRank = rank;
                bestPt = pt;
                bestCodec = codec;
            }
        }

        if (bestCodec is null)
        {
            return false;
        }

        choice = Choose(bestPt, bestCodec, MediaKind.Video, withRtx: true, fromPublisher: true);
        return true;
    }

    /// <summary>Opus 48000/2, the one audio codec every WebRTC endpoint has (RFC 7874 section 3).</summary>
    public bool TrySelectAudio([NotNullWhen(true)] out CodecChoice? choice)
    {
        choice = null;
        foreach (int pt in _payloadTypes)
        {
            if (_rtpMaps.TryGetValue(pt, out SdpRtpMap? map) && IsOpus(map))
            {
                choice = Choose(pt, RtpCodec.Opus, MediaKind.Audio, withRtx: false, fromPublisher: true);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first offered payload type that carries <paramref name="published"/> as it is: same
    /// encoding and, for H.264, packetization-mode=1 and the same profile (as libwebrtc matches
    /// H.264 codecs; a viewer that offers another profile may not decode this one).
    /// </summary>
    public bool TryMatch(RtpCodec published, MediaKind kind, bool withRtx, [NotNullWhen(true)] out CodecChoice? choice)
    {
        choice = null;
        H264ProfileKind publishedProfile = H264ProfileKind.Baseline;
        bool isH264 = published.IsNamed(RtpCodec.H264Name);
        if (isH264)
        {
            published.TryGetParameter("profile-level-id", out string? profileLevelId);
            if (!H264Profile.TryParse(profileLevelId, out publishedProfile))
            {
                return false;
            }
        }

        foreach (int pt in _payloadTypes)
        {
            if (!_rtpMaps.TryGetValue(pt, out SdpRtpMap? map))
            {
                continue;
            }

            bool matches = kind == MediaKind.Audio
                ? published.IsNamed(RtpCodec.OpusName) && IsOpus(map)
                : isH264
                    ? map.ClockRate == 90000 && TryReadH264(pt, map, out H264ProfileKind profile, out _) && profile == publishedProfile
                    : published.IsNamed(RtpCodec.Vp8Name) && IsName(map, RtpCodec.Vp8Name) && map.ClockRate == 90000;
            if (matches)
            {
                choice = Choose(pt, published, kind, withRtx, fromPublisher: false);
                return true;
            }
        }

        return false;
    }

    /// <summary>The codec names offered, for a reason that says what the offer had instead.</summary>
    public string DescribeOffered()
    {
        var names = new List<string>();
        foreach (int pt in _payloadTypes)
        {
            if (_rtpMaps.TryGetValue(pt, out SdpRtpMap? map)
                && !IsName(map, RtxName) && !IsName(map, "red") && !IsName(map, "ulpfec") && !IsName(map, "flexfec-03")
                && !IsName(map, "CN") && !IsName(map, "telephone-event"))
            {
                string name = IsName(map, RtpCodec.H264Name) ? DescribeH264(pt) : map.EncodingName;
                if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    names.Add(name);
                }
            }
        }

        if (names.Count == 0)
        {
            return "no codecs with an a=rtpmap";
        }

        return names.Count > 8 ? string.Join(", ", names.Take(8)) + ", ..." : string.Join(", ", names);
    }

    private static bool IsName(SdpRtpMap map, string name) =>
        string.Equals(map.EncodingName, name, StringComparison.OrdinalIgnoreCase);

    private static bool IsOpus(SdpRtpMap map) =>
        IsName(map, RtpCodec.OpusName) && map.ClockRate == 48000 && map.Channels == 2;

    private bool TryReadH264(int pt, SdpRtpMap map, out H264ProfileKind profile, out string? profileLevelId)
    {
        profile = default;
        profileLevelId = null;
        if (!IsName(map, RtpCodec.H264Name)
            || !_fmtps.TryGetValue(pt, out SdpFormatParameters? fmtp)
            || !fmtp.TryGetParameter("packetization-mode", out string? mode)
            || mode != "1")
        {
            return false;
        }

        if (fmtp.TryGetParameter("profile-level-id", out string? id))
        {
            profileLevelId = id;
        }

        return H264Profile.TryParse(profileLevelId, out profile);
    }

    private string DescribeH264(int pt)
    {
        if (!_fmtps.TryGetValue(pt, out SdpFormatParameters? fmtp))
        {
            return "H264 (packetization-mode=0)";
        }

        string mode = fmtp.TryGetParameter("packetization-mode", out string? m) ? m : "0";
        return fmtp.TryGetParameter("profile-level-id", out string? profile)
            ? $"H264 (packetization-mode={mode}, profile-level-id={profile})"
            : $"H264 (packetization-mode={mode})";
    }

    /// <summary>
    /// The codec with its RTX and the feedback both sides will use. From a publisher (WHIP) the
    /// relay takes only the feedback it sends itself: NACK, PLI and FIR. It sends neither
    /// transport-cc feedback nor REMB, and a publisher that negotiated either and then hears
    /// nothing lowers its estimate without end: Chromium 156 fell from 280 to 37 kbps (640 to
    /// 480 wide, 20 to 7 frames/s) within 10 s in the end-to-end tests, so the caller's picture
    /// went to ruin. Without them, its estimate follows the relay's receiver reports.
    /// </summary>
    private CodecChoice Choose(int pt, RtpCodec codec, MediaKind kind, bool withRtx, bool fromPublisher)
    {
        byte? rtx = withRtx ? FindRtx(pt) : null;
        RtcpFeedbackTypes allowed = (kind, fromPublisher) switch
        {
            (MediaKind.Video, true) => RtcpFeedbackTypes.Nack | RtcpFeedbackTypes.Pli | RtcpFeedbackTypes.Fir,
            (MediaKind.Video, false) => RtcpFeedbackTypes.Nack | RtcpFeedbackTypes.Pli | RtcpFeedbackTypes.Fir | RtcpFeedbackTypes.TransportCc | RtcpFeedbackTypes.Remb,
            (_, true) => RtcpFeedbackTypes.Nack,
            _ => RtcpFeedbackTypes.Nack | RtcpFeedbackTypes.TransportCc,
        };
        return new CodecChoice((byte)pt, codec, rtx, ReadFeedback(pt) & allowed);
    }

    /// <summary>The first rtx/90000 payload type whose apt is <paramref name="pt"/> (RFC 4588 section 8.6).</summary>
    private byte? FindRtx(int pt)
    {
        foreach (int candidate in _payloadTypes)
        {
            if (_rtpMaps.TryGetValue(candidate, out SdpRtpMap? map)
                && IsName(map, RtxName)
                && map.ClockRate == 90000
                && _fmtps.TryGetValue(candidate, out SdpFormatParameters? fmtp)
                && fmtp.TryGetParameter("apt", out string? apt)
                && SdpSyntax.TryParseInt(apt, 0, 127, out int associated)
                && associated == pt)
            {
                return (byte)candidate;
            }
        }

        return null;
    }

    private RtcpFeedbackTypes ReadFeedback(int pt)
    {
        RtcpFeedbackTypes feedback = RtcpFeedbackTypes.None;
        foreach (SdpAttributeLine line in _media.FindAttributes(SdpAttributeNames.RtcpFeedback))
        {
            if (!SdpRtcpFeedback.TryParse(line.Value, out SdpRtcpFeedback? fb) || (fb.PayloadType is int forPt && forPt != pt))
            {
                continue;
            }

            feedback |= (fb.Type, fb.Parameter) switch
            {
                ("nack", null) => RtcpFeedbackTypes.Nack,
                ("nack", "pli") => RtcpFeedbackTypes.Pli,
                ("ccm", "fir") => RtcpFeedbackTypes.Fir,
                ("transport-cc", null) => RtcpFeedbackTypes.TransportCc,
                ("goog-remb", null) => RtcpFeedbackTypes.Remb,
                _ => RtcpFeedbackTypes.None,
            };
        }

        return feedback;
    }
}
