namespace Relay.Control.Negotiation;

/// <summary>The kinds of media the relay carries.</summary>
public enum MediaKind
{
    Audio,
    Video,
}
