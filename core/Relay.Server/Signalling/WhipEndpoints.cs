using Relay.Control.Negotiation;
using Relay.Control.Sessions;
using Relay.Media.Streams;
using Relay.Server.Auth;
using Relay.Server.Http;
using Relay.Server.Media;
using Relay.Server.Sessions;
using Relay.Server.Streams;
using Relay.Transport.Peers;

namespace Relay.Server.Signalling;

/// <summary>
/// WHIP (RFC 9725): <c>POST /whip/{id}</c> with an SDP offer publishes the session's stream;
/// <c>DELETE /whip/{id}/{resource}</c> stops. The Bearer is the session's caller key (from the
/// caller's Start; the link's token itself is not accepted), or an API key with the role officer or
/// publisher (OBS, GStreamer). A caller may publish again while the session is open (a reconnect).
/// </summary>
internal static partial class WhipEndpoints
{
    private static readonly string[] s_keyRoles = [ApiKeyRoles.Officer, ApiKeyRoles.Publisher];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/whip/{id}", PublishAsync);
        routes.MapDelete("/whip/{id}/{resource}", StopAsync);
    }

    private static async Task<IResult> PublishAsync(
        string id,
        HttpContext http,
        ISessionStore store,
        CallerAccess access,
        StreamRegistry streams,
        MediaNode node,
        TimeProvider time,
        ILogger<RelayStream> logger,
        Microsoft.Extensions.Options.IOptionsMonitor<MediaNodeOptions> media)
    {
        (CallSession? session, IResult? refusal) = await AuthorizeAsync(id, http, store, access).ConfigureAwait(false);
        if (session is null)
        {
            return refusal!;
        }

        if (session.State == SessionState.Ended)
        {
            return Problems.Forbidden("This session has ended; a new one is needed to share again.");
        }

        if (session.Mode == SessionMode.Location)
        {
            return Problems.Forbidden("This session asks for location only, so it takes no video; share location instead, or ask for a video session.");
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

        if (!WhipNegotiator.TryNegotiate(offer, out NegotiatedSession? negotiated, out OfferRejection? rejection))
        {
            return OfferProblems.From(rejection);
        }

        var tracks = new PublishedTrack[negotiated.Media.Count];
        for (int i = 0; i < tracks.Length; i++)
        {
            tracks[i] = TrackMapping.ToPublished(negotiated.Media[i]);
        }

        RelayStream stream = streams.GetOrCreate(id);
        MediaPublisher publisher = stream.Media.AttachPublisher(tracks);
        PeerTransport? transport = null;
        string answer;
        try
        {
            transport = PeerFactory.CreateTransport(node, negotiated, publisher);
            publisher.Bind(transport);
            node.AddPeer(transport);
            // Read per publish: a cap changed on the Tuning page reaches the next publisher; one already sending keeps its answer.
            answer = PublisherBitrateCap.Apply(PeerFactory.CreateAnswer(node, negotiated, transport), media.CurrentValue.MaxPublisherVideoBitrate);
        }
        catch
        {
            // The stream must not stay live on a publisher that never got a transport to send on.
            stream.Media.DetachPublisher(publisher);
            transport?.Dispose();
            throw;
        }

        string resource = PeerFactory.NewResourceId();
        stream.SetPublisher(resource, publisher, negotiated.Media);
        if (session.State == SessionState.Waiting)
        {
            await store.MarkLiveAsync(id, time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
        }

        Log.Publishing(logger, id, transport.LocalIceCredentials.Ufrag, tracks.Length);
        return SignallingResults.Created(http, $"/whip/{id}/{resource}", resource, answer);
    }

    private static async Task<IResult> StopAsync(string id, string resource, HttpContext http, ISessionStore store, CallerAccess access, StreamRegistry streams)
    {
        (CallSession? session, IResult? refusal) = await AuthorizeAsync(id, http, store, access).ConfigureAwait(false);
        if (session is null)
        {
            return refusal!;
        }

        RelayStream? stream = streams.Find(id);
        MediaPublisher? publisher = stream?.FindPublisher(resource);
        if (publisher is null)
        {
            return Problems.NotFound("There is no such WHIP resource: publishing has already stopped, or the URL is not the Location this relay gave.");
        }

        stream!.ForgetPublisher(resource);
        publisher.Transport?.Dispose();
        return Results.Ok();
    }

    /// <summary>The session, if the Bearer is its caller key or an API key that may publish; else the 401, 403 or 404.</summary>
    private static async Task<(CallSession? Session, IResult? Refusal)> AuthorizeAsync(string id, HttpContext http, ISessionStore store, CallerAccess access)
    {
        if (!BearerToken.TryRead(http.Request, out string? token, out string? problem))
        {
            return (null, Problems.Unauthorized(http, problem.Replace("<key>", "<caller key or API key>", StringComparison.Ordinal)));
        }

        ApiKeyIdentity? key = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>().Authenticate(token);
        if (key is not null)
        {
            if (Array.IndexOf(s_keyRoles, key.Role) < 0)
            {
                return (null, Problems.Forbidden($"The key '{key.Name}' has the role '{key.Role}'; publishing needs the role officer or publisher."));
            }

            CallSession? session = await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false);
            return session is null ? (null, SessionEndpoints.NoSuchSession(id)) : (session, null);
        }

        // Without a key, an unknown session and a wrong caller key look the same, so ids cannot be probed.
        CallSession? caller = await access.FindByCallerKeyAsync(id, token, http.RequestAborted).ConfigureAwait(false);
        if (caller is not null)
        {
            return (caller, null);
        }

        CallSession? linked = CallerSecret.IsWellFormed(token) ? await store.FindAsync(id, http.RequestAborted).ConfigureAwait(false) : null;
        if (linked is not null && CallerSecret.Matches(token, linked.CallerTokenHash))
        {
            return (null, Problems.Unauthorized(http, "This is the link's token, which only opens the caller page. Press Start on the page (POST /c/{token}/start) and publish with the caller key it returns.", invalidToken: true));
        }

        return (null, Problems.Unauthorized(http, "The caller key is not valid for this session. Open the link you were sent again, or ask for a new one.", invalidToken: true));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "WHIP: session {SessionId} publishing {TrackCount} tracks as peer {Ufrag}")]
        public static partial void Publishing(ILogger logger, string sessionId, string ufrag, int trackCount);
    }
}
