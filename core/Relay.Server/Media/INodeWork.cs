namespace Relay.Server.Media;

/// <summary>Periodic work the media node's timer runs, one call at a time (streams: RTCP, keyframe requests, grace periods).</summary>
internal interface INodeWork
{
    /// <param name="nowTimestamp">A <see cref="TimeProvider.GetTimestamp"/> value of the node's clock.</param>
    void Tick(long nowTimestamp);
}
