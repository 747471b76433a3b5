namespace Relay.Recording.Depacketizers;

/// <summary>Turns the payloads of one frame's RTP packets, in sequence order, into the frame a container stores.</summary>
internal interface IFrameAssembler
{
    /// <summary>
    /// Builds the frame from <paramref name="payloads"/> (RTP payloads, no padding). False if they do
    /// not make a whole, valid frame (for example the first packet does not start a frame, or an FU-A
    /// is cut short).
    /// </summary>
    bool TryAssemble(IReadOnlyList<byte[]> payloads, out byte[] frame, out bool isKeyframe);
}
