using System.Diagnostics.CodeAnalysis;
using Relay.Control.Sdp;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;

namespace Relay.Control.Negotiation;

/// <summary>
/// Offer/answer for the relay (RFC 3264, as JSEP RFC 8829 section 5.3 profiles it) for both WHIP and
/// WHEP. The relay is ICE-lite (RFC 8445 section 2.5), DTLS server, BUNDLE with rtcp-mux; it takes at
/// most one audio and one video section and answers everything else with port 0.
/// </summary>
/// <remarks>
/// Checks run in a fixed order so the reason given is the most basic problem: who the peer is
/// (ICE-lite), what media it offers (kinds, counts, mids), each section (protocol, direction,
/// rtcp-mux, codec), then the shared transport (BUNDLE, ICE credentials, fingerprint, setup).
/// </remarks>
internal static class OfferNegotiator
{
    private const string Audio = "audio";
    private const string Video = "video";

    public static bool TryNegotiate(
        SessionDescription offer,
        NegotiationKind kind,
        OutgoingMedia? stream,
        [NotNullWhen(true)] out NegotiatedSession? session,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        session = null;
        if (offer.HasAttribute(SdpAttributeNames.IceLite))
        {
            rejection = new(OfferRejectionKind.RemoteIceLite,
                "The offer is from an ICE-lite agent (a=ice-lite); the relay is ICE-lite too, so neither side would run connectivity checks. Use a full ICE agent, as browsers are.");
            return false;
        }

        IReadOnlyList<MediaDescription> offered = offer.MediaDescriptions;
        if (!TryFindActiveSections(offered, out List<int>? active, out rejection)
            || !TryCheckMids(offered, active, out rejection))
        {
            return false;
        }

        var sections = new AnswerSection[offered.Count];
        for (int i = 0; i < offered.Count; i++)
        {
            sections[i] = new AnswerSection(offered[i], null, null);
        }

        var accepted = new List<int>();
        bool wantedMissingKind = false;
        foreach (int index in active)
        {
            MediaDescription media = offered[index];
            MediaKind mediaKind = media.MediaType == Video ? MediaKind.Video : MediaKind.Audio;
            if (!TryCheckSection(offer, media, kind, out bool usable, out rejection))
            {
                return false;
            }

            if (!usable)
            {
                continue;
            }

            OutgoingTrack? track = null;
            if (kind == NegotiationKind.Whep)
            {
                track = FindTrack(stream!, mediaKind);
                if (track is null)
                {
                    wantedMissingKind = true;
                    continue;
                }
            }

            var codecs = new OfferedCodecs(media);
            if (!TryChooseCodec(codecs, media, mediaKind, track, out CodecChoice? choice, out rejection))
            {
                return false;
            }

            sections[index] = new AnswerSection(media, Accept(offer, media, index, mediaKind, kind, choice, track), track);
            accepted.Add(index);
        }

        if (accepted.Count == 0)
        {
            rejection = wantedMissingKind
                ? new(OfferRejectionKind.NoMatchingTrack,
                    $"The stream has {DescribeTracks(stream!)} and the offer asks for none of it; offer a section for each kind of media to receive.")
                : new(OfferRejectionKind.NoMedia,
                    $"Every audio and video section in the offer is inactive; {(kind == NegotiationKind.Whip ? "a WHIP offer must send media" : "a WHEP offer must receive media")}.");
            return false;
        }

        if (!TryFindBundle(offer, offered, accepted, out List<string>? bundleMids, out int tagged, out rejection)
            || !TryReadTransport(offer, offered[tagged], out RemoteTransportParameters? transport, out rejection))
        {
            return false;
        }

        session = new NegotiatedSession(kind, transport, sections, bundleMids, stream);
        return true;
    }

    private static bool TryFindActiveSections(
        IReadOnlyList<MediaDescription> offered,
        [NotNullWhen(true)] out List<int>? active,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        active = [];
        bool hasApplication = false;
        int audio = 0;
        int video = 0;
        for (int i = 0; i < offered.Count; i++)
        {
            MediaDescription media = offered[i];
            if (media.MediaType is not (Audio or Video))
            {
                hasApplication |= media.MediaType == "application";
                continue;
            }

            // Port 0 rejects a section, unless a=bundle-only says it rides on the BUNDLE transport (RFC 8843 section 6).
            if (media.Port == 0 && !media.HasAttribute(SdpAttributeNames.BundleOnly))
            {
                continue;
            }

            active.Add(i);
            if (media.MediaType == Video)
            {
                video++;
            }
            else
            {
                audio++;
            }
        }

        if (active.Count == 0)
        {
            active = null;
            rejection = hasApplication
                ? new(OfferRejectionKind.DataChannelOnly,
                    "The offer has only a data channel; the relay takes audio and video over RTP (location and chat go over the WebSocket).")
                : new(OfferRejectionKind.NoMedia,
                    offered.Count == 0 ? "The offer has no media sections." : "The offer has no enabled audio or video section.");
            return false;
        }

        if (video > 1 || audio > 1)
        {
            active = null;
            string what = video > 1 ? $"{video} video sections" : $"{audio} audio sections";
            rejection = new(OfferRejectionKind.TooManyTracks,
                $"The offer has {what}; the relay takes at most one video and one audio track.");
            return false;
        }

        rejection = null;
        return true;
    }

    private static bool TryCheckMids(
        IReadOnlyList<MediaDescription> offered,
        List<int> active,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (MediaDescription media in offered)
        {
            string? mid = media.FindAttribute(SdpAttributeNames.Mid)?.Value;
            if (mid is null)
            {
                continue;
            }

            if (!SdpSyntax.IsToken(mid))
            {
                rejection = new(OfferRejectionKind.InvalidMid, $"The offer's {media.MediaType} section has an a=mid that is not a token.");
                return false;
            }

            if (!seen.Add(mid))
            {
                rejection = new(OfferRejectionKind.InvalidMid, $"The offer uses a=mid:{mid} for more than one section; each mid must be unique.");
                return false;
            }
        }

        foreach (int index in active)
        {
            if (offered[index].FindAttribute(SdpAttributeNames.Mid)?.Value is null)
            {
                rejection = new(OfferRejectionKind.InvalidMid,
                    $"The offer's {offered[index].MediaType} section has no a=mid; the relay needs a mid on every audio and video section (RFC 8843).");
                return false;
            }
        }

        rejection = null;
        return true;
    }

    /// <summary>Protocol, direction and rtcp-mux of one section; <paramref name="usable"/> is false for inactive ones.</summary>
    private static bool TryCheckSection(
        SessionDescription offer,
        MediaDescription media,
        NegotiationKind kind,
        out bool usable,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        usable = false;
        string section = Describe(media);
        if (!string.Equals(media.Protocol, "UDP/TLS/RTP/SAVPF", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(media.Protocol, "UDP/TLS/RTP/SAVP", StringComparison.OrdinalIgnoreCase))
        {
            rejection = new(OfferRejectionKind.UnsupportedProtocol,
                $"{section} uses {media.Protocol}; the relay needs DTLS-SRTP over UDP (UDP/TLS/RTP/SAVPF).");
            return false;
        }

        MediaDirection direction = ReadDirection(offer, media);
        if (direction == MediaDirection.Inactive)
        {
            rejection = null;
            return true;
        }

        if (kind == NegotiationKind.Whip && direction == MediaDirection.RecvOnly)
        {
            rejection = new(OfferRejectionKind.UnsupportedDirection,
                $"{section} is recvonly; a WHIP publisher must send media (sendonly or sendrecv).");
            return false;
        }

        if (kind == NegotiationKind.Whep && direction == MediaDirection.SendOnly)
        {
            rejection = new(OfferRejectionKind.UnsupportedDirection,
                $"{section} is sendonly; a WHEP viewer must receive media (recvonly or sendrecv).");
            return false;
        }

        if (!media.HasAttribute(SdpAttributeNames.RtcpMux))
        {
            rejection = new(OfferRejectionKind.MissingRtcpMux,
                $"{section} does not use rtcp-mux; the relay needs RTP and RTCP on one port (a=rtcp-mux).");
            return false;
        }

        usable = true;
        rejection = null;
        return true;
    }

    private static bool TryChooseCodec(
        OfferedCodecs codecs,
        MediaDescription media,
        MediaKind mediaKind,
        OutgoingTrack? track,
        [NotNullWhen(true)] out CodecChoice? choice,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        rejection = null;
        if (track is not null)
        {
            if (codecs.TryMatch(track.Codec, mediaKind, withRtx: track.RtxSsrc is not null, out choice))
            {
                return true;
            }

            rejection = new(OfferRejectionKind.PublishedCodecNotOffered,
                $"The stream's {media.MediaType} is {DescribeCodec(track.Codec)} and the offer's {media.MediaType} section{MidSuffix(media)} does not accept it; it offers {codecs.DescribeOffered()}.");
            return false;
        }

        if (mediaKind == MediaKind.Video)
        {
            if (codecs.TrySelectVideo(out choice))
            {
                return true;
            }

            rejection = new(OfferRejectionKind.NoSupportedVideoCodec,
                $"The offer's video section has no codec the relay supports (VP8, or H.264 with packetization-mode=1); it offers {codecs.DescribeOffered()}.");
            return false;
        }

        if (codecs.TrySelectAudio(out choice))
        {
            return true;
        }

        rejection = new(OfferRejectionKind.NoSupportedAudioCodec,
            $"The offer's audio section has no codec the relay supports (Opus 48000/2); it offers {codecs.DescribeOffered()}.");
        return false;
    }

    private static NegotiatedMedia Accept(
        SessionDescription offer,
        MediaDescription media,
        int index,
        MediaKind mediaKind,
        NegotiationKind kind,
        CodecChoice choice,
        OutgoingTrack? track)
    {
        RemoteSources sources = RemoteSources.Read(media);
        return new NegotiatedMedia
        {
            Kind = mediaKind,
            Mid = media.FindAttribute(SdpAttributeNames.Mid)!.Value!,
            MediaSectionIndex = index,
            PayloadType = choice.PayloadType,
            Codec = choice.Codec,
            RtxPayloadType = choice.RtxPayloadType,
            HeaderExtensions = ReadHeaderExtensions(offer, media, mediaKind, kind),
            Feedback = choice.Feedback,
            RemoteSsrc = sources.Ssrc,
            RemoteRtxSsrc = sources.RtxSsrc,
            RemoteCname = sources.Cname,
            RemoteStreamId = sources.StreamId,
            RemoteTrackId = sources.TrackId,
            LocalSsrc = track?.Ssrc,
            LocalRtxSsrc = choice.RtxPayloadType is null ? null : track?.RtxSsrc,
        };
    }

    /// <summary>
    /// The ids the offer gave the extensions the relay uses. Ids above 14 are left out: they need the
    /// two-byte form, which the relay does not answer (no a=extmap-allow-mixed). An extension the
    /// offerer only sends cannot be used by a relay that sends (WHEP), and the other way round.
    /// </summary>
    private static RtpHeaderExtensionIds ReadHeaderExtensions(
        SessionDescription offer,
        MediaDescription media,
        MediaKind mediaKind,
        NegotiationKind kind)
    {
        IEnumerable<SdpAttributeLine> lines = media.HasAttribute(SdpAttributeNames.ExtensionMap)
            ? media.FindAttributes(SdpAttributeNames.ExtensionMap)
            : offer.FindAttributes(SdpAttributeNames.ExtensionMap);
        byte absSendTime = 0;
        byte transportWideCc = 0;
        byte mid = 0;
        byte audioLevel = 0;
        var used = new bool[SdpExtensionMap.MaxOneByteId + 1];
        foreach (SdpAttributeLine line in lines)
        {
            if (!SdpExtensionMap.TryParse(line.Value, out SdpExtensionMap? map)
                || map.Id > SdpExtensionMap.MaxOneByteId
                || used[map.Id]
                || map.Direction == SdpAttributeNames.Inactive
                || (kind == NegotiationKind.Whip && map.Direction == SdpAttributeNames.RecvOnly)
                || (kind == NegotiationKind.Whep && map.Direction == SdpAttributeNames.SendOnly))
            {
                continue;
            }

            byte id = (byte)map.Id;
            switch (map.Uri)
            {
                case RtpHeaderExtensionUris.AbsSendTime when absSendTime == 0:
                    absSendTime = id;
                    break;
                // A publisher's transport-wide sequence numbers are only of use to a receiver that
                // sends transport-cc feedback, which the relay does not (see OfferedCodecs.Choose).
                case RtpHeaderExtensionUris.TransportWideCc when transportWideCc == 0 && kind == NegotiationKind.Whep:
                    transportWideCc = id;
                    break;
                case RtpHeaderExtensionUris.Mid when mid == 0:
                    mid = id;
                    break;
                case RtpHeaderExtensionUris.AudioLevel when audioLevel == 0 && mediaKind == MediaKind.Audio:
                    audioLevel = id;
                    break;
                default:
                    break;
            }

            used[map.Id] = true;
        }

        return new RtpHeaderExtensionIds(absSendTime, transportWideCc, mid, audioLevel);
    }

    /// <summary>
    /// With more than one accepted section, all of them must be in one BUNDLE group (RFC 8843): the
    /// relay has one transport per peer. The tagged section, whose transport attributes count, is
    /// the first accepted mid in the group's order.
    /// </summary>
    private static bool TryFindBundle(
        SessionDescription offer,
        IReadOnlyList<MediaDescription> offered,
        List<int> accepted,
        out List<string>? bundleMids,
        out int tagged,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        bundleMids = null;
        tagged = accepted[0];
        var acceptedMids = new List<string>(accepted.Count);
        foreach (int index in accepted)
        {
            acceptedMids.Add(offered[index].FindAttribute(SdpAttributeNames.Mid)!.Value!);
        }

        SdpGroup? bundle = null;
        foreach (SdpAttributeLine line in offer.FindAttributes(SdpAttributeNames.Group))
        {
            if (SdpGroup.TryParse(line.Value, out SdpGroup? group)
                && group.Semantics == SdpGroup.Bundle
                && group.Mids.Contains(acceptedMids[0], StringComparer.Ordinal))
            {
                bundle = group;
                break;
            }
        }

        if (bundle is null || !acceptedMids.TrueForAll(mid => bundle.Mids.Contains(mid, StringComparer.Ordinal)))
        {
            if (accepted.Count > 1)
            {
                rejection = new(OfferRejectionKind.MissingBundle,
                    $"The offer's media sections (mids {string.Join(", ", acceptedMids)}) are not in one a=group:BUNDLE; the relay carries all media of a peer on one transport.");
                return false;
            }

            rejection = null;
            return true;
        }

        bundleMids = [];
        foreach (string mid in bundle.Mids)
        {
            int at = acceptedMids.IndexOf(mid);
            if (at >= 0 && !bundleMids.Contains(mid))
            {
                if (bundleMids.Count == 0)
                {
                    tagged = accepted[at];
                }

                bundleMids.Add(mid);
            }
        }

        rejection = null;
        return true;
    }

    private static bool TryReadTransport(
        SessionDescription offer,
        MediaDescription tagged,
        [NotNullWhen(true)] out RemoteTransportParameters? transport,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        transport = null;
        string? ufrag = FindValue(offer, tagged, SdpAttributeNames.IceUfrag);
        string? pwd = FindValue(offer, tagged, SdpAttributeNames.IcePwd);
        if (ufrag is null || pwd is null)
        {
            rejection = new(OfferRejectionKind.MissingIceCredentials,
                "The offer has no a=ice-ufrag and a=ice-pwd; the relay needs the peer's ICE credentials.");
            return false;
        }

        if (!IceCredentials.IsValidUfrag(ufrag) || !IceCredentials.IsValidPassword(pwd))
        {
            rejection = new(OfferRejectionKind.MissingIceCredentials,
                "The offer's a=ice-ufrag or a=ice-pwd is not valid: they must be 4 and 22 to 256 letters, digits, '+' or '/' (RFC 8839 section 5.4).");
            return false;
        }

        if (!TryReadFingerprint(offer, tagged, out DtlsFingerprint? fingerprint, out rejection)
            || !TryReadSetup(offer, tagged, out rejection))
        {
            return false;
        }

        transport = new RemoteTransportParameters(ufrag, pwd, fingerprint, DtlsRole.Client);
        return true;
    }

    /// <summary>
    /// The sha-256 fingerprint, from the section or, as Firefox writes it, the session level. An
    /// offer may list several (RFC 8122 section 5); the relay checks the certificate with sha-256.
    /// </summary>
    private static bool TryReadFingerprint(
        SessionDescription offer,
        MediaDescription tagged,
        [NotNullWhen(true)] out DtlsFingerprint? fingerprint,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        fingerprint = null;
        IEnumerable<SdpAttributeLine> lines = tagged.HasAttribute(SdpAttributeNames.Fingerprint)
            ? tagged.FindAttributes(SdpAttributeNames.Fingerprint)
            : offer.FindAttributes(SdpAttributeNames.Fingerprint);
        var offeredAlgorithms = new List<string>();
        foreach (SdpAttributeLine line in lines)
        {
            if (SdpFingerprint.TryParse(line.Value, out SdpFingerprint? parsed))
            {
                if (parsed.HashFunction == "sha-256")
                {
                    fingerprint = DtlsFingerprint.Create(DtlsHashAlgorithm.Sha256, parsed.Value);
                    rejection = null;
                    return true;
                }

                offeredAlgorithms.Add(parsed.HashFunction);
            }
            else
            {
                offeredAlgorithms.Add("a malformed one");
            }
        }

        rejection = offeredAlgorithms.Count == 0
            ? new(OfferRejectionKind.MissingFingerprint,
                "The offer has no a=fingerprint; the relay needs the fingerprint of the peer's DTLS certificate.")
            : new(OfferRejectionKind.UnsupportedFingerprint,
                $"The offer has no valid sha-256 a=fingerprint (it has {string.Join(", ", offeredAlgorithms.Distinct().Take(4))}); the relay checks certificates with sha-256.");
        return false;
    }

    /// <summary>
    /// The relay, ICE-lite and reachable only by the peer's checks, is the DTLS server: it answers
    /// a=setup:passive (RFC 8842 section 5.3), so the offer must let the peer be the client. No
    /// a=setup means active (RFC 4145 section 4).
    /// </summary>
    private static bool TryReadSetup(
        SessionDescription offer,
        MediaDescription tagged,
        [NotNullWhen(false)] out OfferRejection? rejection)
    {
        string? setup = FindValue(offer, tagged, SdpAttributeNames.Setup);
        switch (setup)
        {
            case null or "actpass" or "active":
                rejection = null;
                return true;
            case "passive" or "holdconn":
                rejection = new(OfferRejectionKind.UnsupportedDtlsSetup,
                    $"The offer's a=setup:{setup} would make the relay the DTLS client; the relay is always the DTLS server (a=setup:passive), so offer a=setup:actpass or a=setup:active.");
                return false;
            default:
                rejection = new(OfferRejectionKind.UnsupportedDtlsSetup,
                    "The offer's a=setup is not one of actpass, active or passive (RFC 4145 section 4).");
                return false;
        }
    }

    private static string? FindValue(SessionDescription offer, MediaDescription media, string name) =>
        (media.FindAttribute(name) ?? offer.FindAttribute(name))?.Value;

    /// <summary>The section's direction attribute, else the session's, else sendrecv (RFC 8866 section 6.7).</summary>
    private static MediaDirection ReadDirection(SessionDescription offer, MediaDescription media) =>
        ReadDirection(media.Attributes) ?? ReadDirection(offer.Attributes) ?? MediaDirection.SendRecv;

    private static MediaDirection? ReadDirection(IReadOnlyList<SdpAttributeLine> attributes)
    {
        foreach (SdpAttributeLine attribute in attributes)
        {
            switch (attribute.Name)
            {
                case SdpAttributeNames.SendRecv:
                    return MediaDirection.SendRecv;
                case SdpAttributeNames.SendOnly:
                    return MediaDirection.SendOnly;
                case SdpAttributeNames.RecvOnly:
                    return MediaDirection.RecvOnly;
                case SdpAttributeNames.Inactive:
                    return MediaDirection.Inactive;
            }
        }

        return null;
    }

    private static OutgoingTrack? FindTrack(OutgoingMedia stream, MediaKind kind)
    {
        foreach (OutgoingTrack track in stream.Tracks)
        {
            if (track.Kind == kind)
            {
                return track;
            }
        }

        return null;
    }

    private static string Describe(MediaDescription media) => $"The offer's {media.MediaType} section{MidSuffix(media)}";

    private static string MidSuffix(MediaDescription media) =>
        media.FindAttribute(SdpAttributeNames.Mid)?.Value is string mid ? $" (mid {mid})" : string.Empty;

    private static string DescribeTracks(OutgoingMedia stream)
    {
        bool video = FindTrack(stream, MediaKind.Video) is not null;
        bool audio = FindTrack(stream, MediaKind.Audio) is not null;
        return (video, audio) switch
        {
            (true, true) => "video and audio",
            (true, false) => "video only",
            (false, true) => "audio only",
            _ => "no tracks",
        };
    }

    private static string DescribeCodec(RtpCodec codec)
    {
        if (!codec.IsNamed(RtpCodec.H264Name))
        {
            return codec.Channels is int channels ? $"{codec.Name} {codec.ClockRate}/{channels}" : codec.Name;
        }

        codec.TryGetParameter("profile-level-id", out string? profileLevelId);
        return H264Profile.TryParse(profileLevelId, out H264ProfileKind profile)
            ? $"H.264 {H264Profile.Describe(profile)} (packetization-mode=1)"
            : "H.264";
    }
}
