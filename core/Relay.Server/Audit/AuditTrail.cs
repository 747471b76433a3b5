using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Relay.Control.Audit;
using Relay.Control.Sessions;
using Relay.Server.Auth;
using Relay.Server.Http;

namespace Relay.Server.Audit;

/// <summary>
/// What the HTTP endpoints write to the <see cref="IAuditLog"/> about a session: created, SMS sent,
/// ended, viewed, evidence collected. The actor is the authenticated identity of the request; the
/// subject is the session id.
/// </summary>
/// <remarks>
/// When the log cannot be written: evidence access (<see cref="ViewAsync"/>) must not happen without
/// its record, so it returns false and the endpoint answers 500 instead of showing the evidence. For
/// everything else the user's action has already happened (a session stored, an SMS sent, a
/// session ended, a snapshot saved) and undoing it would do more harm than a missing row, so the
/// failure is logged as an error and the request goes on.
/// </remarks>
internal sealed partial class AuditTrail(IAuditLog log, ILogger<AuditTrail> logger)
{
    /// <summary>The session-ended action (not one of <see cref="AuditActions"/>).</summary>
    public const string SessionEnded = AuditActions.SessionEnded;

    /// <summary>The actor recorded when the caller ends the session from their phone.</summary>
    public const string Caller = "caller";

    public static string ActorOf(HttpContext http) => ApiKeyFilter.GetIdentity(http)?.Name ?? "unknown";

    /// <summary>"+44*******123": enough to tell numbers apart in the log without keeping the number.</summary>
    public static string MaskPhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        if (phone.Length <= 6)
        {
            return new string('*', phone.Length);
        }

        return string.Concat(phone.AsSpan(0, 3), new string('*', phone.Length - 6), phone.AsSpan(phone.Length - 3));
    }

    /// <summary>The answer when evidence access could not be recorded.</summary>
    public static IResult NotRecorded() => Problems.Create(
        StatusCodes.Status500InternalServerError,
        "Audit log unavailable",
        "The relay could not record this access in its audit log, so it does not show the evidence. Try again; if it keeps failing, tell the relay's operator.");

    public Task SessionCreatedAsync(HttpContext http, CallSession session) => SessionCreatedAsync(ActorOf(http), session);

    /// <summary>The session created by <paramref name="actor"/> (a key's or a person's name; the portal has no HTTP request per action).</summary>
    public Task SessionCreatedAsync(string actor, CallSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["incident"] = session.Incident,
            ["mode"] = session.Mode == SessionMode.Video ? "video" : "location",
            ["audio"] = session.Audio ? "true" : "false",
            ["retention"] = session.Retention,
            ["phone"] = MaskPhone(session.Phone),
        };
        return AppendOrLogAsync(new AuditEntry(AuditActions.SessionCreated, actor, session.Id, null, null, details));
    }

    public Task SmsSentAsync(HttpContext http, CallSession session, SessionSms sms) => SmsSentAsync(ActorOf(http), session, sms);

    public Task SmsSentAsync(string actor, CallSession session, SessionSms sms)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(sms);
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["state"] = SessionSms.ToText(sms.State) };
        if (sms.Error is { } error)
        {
            details["error"] = error;
        }

        return AppendOrLogAsync(new AuditEntry(AuditActions.SmsSent, actor, session.Id, null, MaskPhone(session.Phone), details));
    }

    /// <summary>The session ended by <paramref name="actor"/> (an officer's name, or <see cref="Caller"/>).</summary>
    public Task SessionEndedAsync(string actor, string sessionId) =>
        AppendOrLogAsync(new AuditEntry(SessionEnded, actor, sessionId, null, null, null));

    /// <summary>Records who is about to see the session's evidence (<paramref name="what"/>: "live-video", "player"); false when it could not be recorded.</summary>
    public async Task<bool> ViewAsync(HttpContext http, string sessionId, string what)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["what"] = what };
        return await AppendOrLogAsync(new AuditEntry(AuditActions.View, ActorOf(http), sessionId, null, null, details)).ConfigureAwait(false);
    }

    public Task SnapshotCollectedAsync(HttpContext http, string sessionId, string name, string sha256, long bytes)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kind"] = "snapshot",
            ["name"] = name,
            ["sha256"] = sha256,
            ["bytes"] = bytes.ToString(CultureInfo.InvariantCulture),
        };
        return AppendOrLogAsync(new AuditEntry(AuditActions.Collection, ActorOf(http), sessionId, null, null, details));
    }

    // Not the request's token: the action has happened (or is about to), so its record is written even if the client went away.
    [SuppressMessage("Design", "CA1031", Justification = "A failed append is logged and reported to the caller, who decides whether the request fails (see the class remarks).")]
    private async Task<bool> AppendOrLogAsync(AuditEntry entry)
    {
        try
        {
            await log.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            Log.AppendFailed(logger, entry.Action, entry.Actor, entry.Subject ?? "", e);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Error, Message = "Audit: could not record {Action} by {Actor} on {Subject}")]
        public static partial void AppendFailed(ILogger logger, string action, string actor, string subject, Exception exception);
    }
}
