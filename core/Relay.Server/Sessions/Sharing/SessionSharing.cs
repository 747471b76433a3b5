using System.Diagnostics.CodeAnalysis;
using Relay.Control.Audit;
using Relay.Control.Sessions;
using Relay.Control.Sessions.Sharing;
using Relay.Control.Users;

namespace Relay.Server.Sessions.Sharing;

/// <summary>
/// Sharing a session with an officer and taking it back, for the HTTP API and the portal alike:
/// checks who may (<see cref="SessionAccess.MayShare"/>) and with whom (<see cref="SessionAccess.RefuseShareWith"/>),
/// then records it in the audit log (who, what, why) before changing the share, so no share exists without its record.
/// </summary>
internal sealed partial class SessionSharing(
    ISessionStore sessions,
    ISessionShares shares,
    SessionGate gate,
    IUserDirectory users,
    IAuditLog audit,
    TimeProvider time,
    AccessWithdrawal withdrawal,
    ILogger<SessionSharing> logger)
{
    public const string SharedAction = AuditActions.SessionShared;
    public const string UnsharedAction = AuditActions.SessionUnshared;

    /// <summary>A reason is a sentence, not an essay.</summary>
    public const int MaxReasonLength = 500;

    public async Task<SharingOutcome> ShareAsync(SessionViewer actor, string sessionId, string officer, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        (CallSession? session, SharingOutcome? refused) = await CheckAsync(actor, sessionId, officer, reason, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return refused!;
        }

        RelayUser? target = await users.FindAsync(officer.Trim(), cancellationToken).ConfigureAwait(false);
        if (SessionAccess.RefuseShareWith(session, officer.Trim(), target) is { } why)
        {
            return new SharingOutcome(SharingResult.Refused, why);
        }

        if (await shares.IsSharedWithAsync(session.Id, target!.Name, cancellationToken).ConfigureAwait(false))
        {
            return new SharingOutcome(SharingResult.Unchanged, $"The session is already shared with {target.Name}.");
        }

        if (!await RecordAsync(SharedAction, actor, session, target.Name, reason!).ConfigureAwait(false))
        {
            return NotRecorded;
        }

        bool added = await shares.ShareAsync(new SessionShare(session.Id, target.Name, actor.Name, time.GetUtcNow(), reason!.Trim()), cancellationToken).ConfigureAwait(false);
        return added
            ? new SharingOutcome(SharingResult.Done, $"Shared {session.Incident} with {target.Name}: they can watch it now.")
            : new SharingOutcome(SharingResult.Unchanged, $"The session is already shared with {target.Name}.");
    }

    public async Task<SharingOutcome> UnshareAsync(SessionViewer actor, string sessionId, string officer, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        (CallSession? session, SharingOutcome? refused) = await CheckAsync(actor, sessionId, officer, reason, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return refused!;
        }

        SessionShare? existing = null;
        foreach (SessionShare share in await shares.ListAsync(session.Id, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(share.Officer, officer.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                existing = share;
            }
        }

        if (existing is null)
        {
            return new SharingOutcome(SharingResult.Unchanged, $"The session is not shared with {officer.Trim()}.");
        }

        if (!await RecordAsync(UnsharedAction, actor, session, existing.Officer, reason!).ConfigureAwait(false))
        {
            return NotRecorded;
        }

        await shares.UnshareAsync(session.Id, existing.Officer, cancellationToken).ConfigureAwait(false);
        withdrawal.Withdraw(session.Id, existing.Officer);
        return new SharingOutcome(SharingResult.Done, $"Stopped sharing {session.Incident} with {existing.Officer}: their player has been cut off.");
    }

    private static SharingOutcome NotRecorded => new(
        SharingResult.NotRecorded,
        "The relay could not record this in its audit log, so nothing was changed. Try again; if it keeps failing, tell the relay's operator.");

    private async Task<(CallSession? Session, SharingOutcome? Refused)> CheckAsync(SessionViewer actor, string sessionId, string officer, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        ArgumentNullException.ThrowIfNull(officer);
        CallSession? session = await sessions.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return (null, new SharingOutcome(SharingResult.NoSuchSession, $"There is no session '{sessionId}'."));
        }

        if (!await gate.MaySeeAsync(actor, session, cancellationToken).ConfigureAwait(false))
        {
            return (null, new SharingOutcome(SharingResult.NotShared, "This session is not shared with you."));
        }

        if (!SessionAccess.MayShare(actor, session))
        {
            return (null, new SharingOutcome(SharingResult.NotAllowed, "Only a supervisor, or whoever created the session, may share it or stop sharing it."));
        }

        if (string.IsNullOrWhiteSpace(officer))
        {
            return (null, new SharingOutcome(SharingResult.Refused, "Name the officer: their sign-in name."));
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            return (null, new SharingOutcome(SharingResult.Refused, $"Say why (a reason of 1 to {MaxReasonLength} characters); it is kept in the audit log."));
        }

        return (session, null);
    }

    // Written before the change: a share that could not be recorded is not made.
    [SuppressMessage("Design", "CA1031", Justification = "A failed append refuses the change; the failure is logged.")]
    private async Task<bool> RecordAsync(string action, SessionViewer actor, CallSession session, string officer, string reason)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["officer"] = officer,
            ["incident"] = session.Incident,
        };
        try
        {
            await audit.AppendAsync(new AuditEntry(action, actor.Name, session.Id, reason.Trim(), officer, details), CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            Log.NotRecorded(logger, action, actor.Name, session.Id, e);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 630, Level = LogLevel.Error, Message = "Sharing: could not record {Action} by {Actor} on {SessionId}; nothing changed")]
        public static partial void NotRecorded(ILogger logger, string action, string actor, string sessionId, Exception exception);
    }
}
