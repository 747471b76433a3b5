using System.Collections.Concurrent;
using Relay.Control.Negotiation;
using Relay.Media.Streams;

namespace Relay.Server.Streams;

/// <summary>
/// A session's stream as the server keeps it: the fan-out's <see cref="MediaStream"/>, the
/// publisher's negotiated sections (their codecs are what viewers are offered), and the WHIP and
/// WHEP resources (the Location URLs) that name the publisher and each viewer.
/// </summary>
internal sealed class RelayStream(string sessionId, MediaStream media)
{
    private readonly Lock _lock = new();
    private IReadOnlyList<NegotiatedMedia> _published = [];
    private string? _publisherResource;
    private MediaPublisher? _publisher;

    public string SessionId { get; } = sessionId;

    public MediaStream Media { get; } = media;

    /// <summary>The viewers by WHEP resource id.</summary>
    public ConcurrentDictionary<string, MediaSubscriber> Viewers { get; } = new(StringComparer.Ordinal);

    /// <summary>The people (not API keys) watching, by WHEP resource: their sign-in names, so a withdrawn share can cut them off.</summary>
    public ConcurrentDictionary<string, string> ViewerNames { get; } = new(StringComparer.Ordinal);

    /// <summary>The latest publisher's accepted sections; empty before the first.</summary>
    public IReadOnlyList<NegotiatedMedia> Published
    {
        get
        {
            lock (_lock)
            {
                return _published;
            }
        }
    }

    public void SetPublisher(string resourceId, MediaPublisher publisher, IReadOnlyList<NegotiatedMedia> published)
    {
        lock (_lock)
        {
            _publisherResource = resourceId;
            _publisher = publisher;
            _published = published;
        }
    }

    /// <summary>The publisher the WHIP resource <paramref name="resourceId"/> names, if it is still the stream's.</summary>
    public MediaPublisher? FindPublisher(string resourceId)
    {
        lock (_lock)
        {
            return _publisherResource == resourceId ? _publisher : null;
        }
    }

    /// <summary>Forgets the publisher resource (after DELETE), so a second DELETE finds nothing.</summary>
    public void ForgetPublisher(string resourceId)
    {
        lock (_lock)
        {
            if (_publisherResource == resourceId)
            {
                _publisherResource = null;
                _publisher = null;
            }
        }
    }
}
