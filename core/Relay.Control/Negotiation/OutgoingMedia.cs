namespace Relay.Control.Negotiation;

/// <summary>
/// The published stream as a WHEP viewer will receive it: at most one audio and one video track,
/// grouped under one msid stream id, with one RTCP CNAME so the viewer can synchronise them.
/// </summary>
public sealed record OutgoingMedia(string StreamId, string Cname, IReadOnlyList<OutgoingTrack> Tracks);
