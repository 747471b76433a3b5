namespace Relay.Media.Streams;

/// <summary>Where a <see cref="MediaStream"/> is in its life.</summary>
public enum MediaStreamState
{
    /// <summary>No publisher has attached yet; viewers may already wait.</summary>
    WaitingForPublisher = 0,

    /// <summary>A publisher is attached.</summary>
    Live = 1,

    /// <summary>The publisher's transport ended; the stream waits the grace period for it to reconnect.</summary>
    PublisherGone = 2,

    /// <summary>Disposed, or the grace period ran out. Final.</summary>
    Ended = 3,
}
