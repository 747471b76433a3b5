namespace Relay.Recording.Depacketizers;

/// <summary>Opus from RTP (RFC 7587 section 4.2): each RTP payload is exactly one Opus packet.</summary>
internal sealed class OpusFrameAssembler : IFrameAssembler
{
    public bool TryAssemble(IReadOnlyList<byte[]> payloads, out byte[] frame, out bool isKeyframe)
    {
        isKeyframe = true;
        if (payloads.Count != 1 || payloads[0].Length == 0)
        {
            frame = [];
            return false;
        }

        frame = payloads[0];
        return true;
    }
}
