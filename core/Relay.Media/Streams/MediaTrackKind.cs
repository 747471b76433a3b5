namespace Relay.Media.Streams;

/// <summary>What a track carries.</summary>
public enum MediaTrackKind
{
    Audio = 0,
    Video = 1,
}
