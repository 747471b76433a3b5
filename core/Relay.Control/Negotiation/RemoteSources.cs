using Relay.Control.Sdp;

namespace Relay.Control.Negotiation;

/// <summary>
/// The SSRCs, CNAME and msid one media section announces (RFC 5576, RFC 8830): the media SSRC is
/// the first of an <c>a=ssrc-group:FID</c> pair, whose second is its RTX SSRC; without a group, the
/// first <c>a=ssrc</c>. The msid comes from <c>a=msid</c>, else from the SSRC's <c>msid:</c> line.
/// </summary>
internal readonly record struct RemoteSources(uint? Ssrc, uint? RtxSsrc, string? Cname, string? StreamId, string? TrackId)
{
    public static RemoteSources Read(MediaDescription media)
    {
        uint? ssrc = null;
        uint? rtxSsrc = null;
        foreach (SdpAttributeLine line in media.FindAttributes(SdpAttributeNames.SsrcGroup))
        {
            if (SdpSsrcGroup.TryParse(line.Value, out SdpSsrcGroup? group)
                && group.Semantics == SdpSsrcGroup.FlowIdentification
                && group.Ssrcs.Count == 2
                && group.Ssrcs[0] != group.Ssrcs[1])
            {
                ssrc = group.Ssrcs[0];
                rtxSsrc = group.Ssrcs[1];
                break;
            }
        }

        string? cname = null;
        SdpMsid? msid = null;
        foreach (SdpAttributeLine line in media.FindAttributes(SdpAttributeNames.Ssrc))
        {
            if (!SdpSsrc.TryParse(line.Value, out SdpSsrc? source))
            {
                continue;
            }

            ssrc ??= source.Ssrc;
            if (source.Ssrc != ssrc)
            {
                continue;
            }

            if (source.AttributeName == "cname" && cname is null && !string.IsNullOrEmpty(source.AttributeValue))
            {
                cname = source.AttributeValue;
            }
            else if (source.AttributeName == SdpAttributeNames.Msid && msid is null
                && SdpMsid.TryParse(source.AttributeValue, out SdpMsid? sourceMsid))
            {
                msid = sourceMsid;
            }
        }

        if (SdpMsid.TryParse(media.FindAttribute(SdpAttributeNames.Msid)?.Value, out SdpMsid? sectionMsid))
        {
            msid = sectionMsid;
        }

        return new RemoteSources(ssrc, rtxSsrc, cname, msid?.StreamId, msid?.TrackId);
    }
}
