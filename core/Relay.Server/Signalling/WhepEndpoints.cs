using Relay.Control.Negotiation;
using Relay.Control.Sessions;
using Relay.Media.Streams;
using Relay.Server.Audit;
using Relay.Server.Auth;
using Relay.Server.Http;
using Relay.Server.Media;
using Relay.Server.Sessions;
using Relay.Server.Sessions.Sharing;
using Relay.Server.Streams;
using Relay.Transport.Peers;

namespace Relay.Server.Signalling;

/// <summary>
/// WHEP: <c>POST /whep/{id}</c> with a viewer's SDP offer adds a viewer of the session's stream;
/// <c>DELETE /whep/{id}/{resource}</c> removes it. Officers only (API key).
/// </summary>
internal static partial class WhepEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/whep/{id}", WatchAsync).RequireRole(RelayRoles.Officer);
        routes.MapDelete("/whep/{id}/{resource}", StopAsync).RequireRole(RelayRoles.Officer);
    }

    private static async Task<IResult> WatchAsync(
        string id,
        HttpContext http,
        ISessionStore store,
        StreamRegistry streams,
        MediaNode node,
        AuditTrail audit,
        ILogger<RelayStream> logger,
        SessionGate gate)
    {
        CallSession? session = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            return SessionEndpoints.NoSuchSession(id);
        }

        if (!await gate.MaySeeAsync(http, session).ConfigureAwait(false))
        {
            return SessionGate.NotShared(id);
        }

        if (session.State == SessionState.Ended)
        {
            return Problems.Create(StatusCodes.Status410Gone, "Session ended", "This session has been ended; there is nothing to watch.");
        }

        RelayStream? stream = streams.Find(id);
        IReadOnlyList<NegotiatedMedia> published = stream?.Published ?? [];
        if (stream is null || published.Count == 0)
        {
            http.Response.Headers.RetryAfter = "2";
            return Problems.Create(
                StatusCodes.Status409Conflict,
                "Nothing published yet",
                "The caller has not started sharing video on this session yet. Try again when GET /api/sessions/{id} shows media.stream \"live\".");
        }

        if (SignallingResults.MediaUnavailable(node) is IResult unavailable)
        {
            return unavailable;
        }

        (string? offer, IResult? problem) = await SdpBody.ReadOfferAsync(http.Request).ConfigureAwait(false);
        if (offer is null)
        {
            return problem!;
        }

        OutgoingMedia outgoing = TrackMapping.ToOutgoing(id, published);
        if (!WhepNegotiator.TryNegotiate(offer, outgoing, out NegotiatedSession? negotiated, out OfferRejection? rejection))
        {
            return OfferProblems.From(rejection);
        }

        // Evidence access: nobody watches without the record of it (AuditTrail remarks).
        if (!await audit.ViewAsync(http, id, "live-video").ConfigureAwait(false))
        {
            return AuditTrail.NotRecorded();
        }

        var tracks = new SubscribedTrack[negotiated.Media.Count];
        for (int i = 0; i < tracks.Length; i++)
        {
            tracks[i] = TrackMapping.ToSubscribed(negotiated.Media[i]);
        }

        MediaSubscriber subscriber;
        try
        {
            subscriber = stream.Media.AddSubscriber(tracks);
        }
        catch (ObjectDisposedException)
        {
            return Problems.Create(StatusCodes.Status410Gone, "Stream ended", "The stream ended while the viewer was being added; the caller has stopped sharing.");
        }

        PeerTransport transport = PeerFactory.CreateTransport(node, negotiated, subscriber);
        string answer;
        try
        {
            subscriber.Bind(transport);
            node.AddPeer(transport);
            answer = PeerFactory.CreateAnswer(node, negotiated, transport);
        }
        catch
        {
            subscriber.Dispose();
            throw;
        }

        string resource = PeerFactory.NewResourceId();
        string viewer = ApiKeyFilter.GetIdentity(http)?.Name ?? "unknown";
        if (!SessionGate.ViewerOf(http.User).IsSystem)
        {
            stream.ViewerNames[resource] = viewer;
        }

        stream.Viewers[resource] = subscriber;
        // A share withdrawn while this viewer was being added cut off the viewers it could see then: look again.
        if (!await gate.MaySeeAsync(http, session).ConfigureAwait(false))
        {
            stream.ViewerNames.TryRemove(resource, out _);
            if (stream.Viewers.TryRemove(resource, out MediaSubscriber? late))
            {
                late.Dispose();
            }

            return SessionGate.NotShared(id);
        }

        Log.Watching(logger, id, viewer, transport.LocalIceCredentials.Ufrag);
        return SignallingResults.Created(http, $"/whep/{id}/{resource}", resource, answer);
    }

    private static IResult StopAsync(string id, string resource, StreamRegistry streams)
    {
        RelayStream? stream = streams.Find(id);
        if (stream is null || !stream.Viewers.TryRemove(resource, out MediaSubscriber? subscriber))
        {
            return Problems.NotFound("There is no such WHEP resource: the viewer has already gone, or the URL is not the Location this relay gave.");
        }

        stream.ViewerNames.TryRemove(resource, out _);
        subscriber.Dispose();
        return Results.Ok();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "WHEP: {Viewer} watching session {SessionId} as peer {Ufrag}")]
        public static partial void Watching(ILogger logger, string sessionId, string viewer, string ufrag);
    }
}
