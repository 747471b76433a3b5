using System.Diagnostics.CodeAnalysis;
using Relay.Control.Sessions;
using Relay.Control.Sms;
using Relay.Plugins.Abstractions.Sms;

namespace Relay.Server.Sessions;

/// <summary>
/// Stores a new session and sends its link to the caller by SMS through the <see cref="ISmsSender"/>
/// the plugin host registers (the configured provider, or one that refuses each message with the
/// plugin host's reason), after the sending limits allow it.
/// </summary>
internal sealed partial class SessionLinkSender(
    ISessionStore store,
    SmsSendingLimits limits,
    ISmsSender sender,
    TimeProvider time,
    ILogger<SessionLinkSender> logger)
{
    /// <summary>How long a send or status request to the provider may take before it counts as failed.</summary>
    public static readonly TimeSpan ProviderTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The SMS outcome once the session is stored; or null and the refusal to answer with, when nothing was stored.</summary>
    public async Task<(SessionSms? Sms, IResult? Refusal)> CreateAndSendAsync(CallSession session, string link, CancellationToken cancellationToken)
    {
        (SessionSms? sms, SmsLimitRefusal? refusal) = await TryCreateAndSendAsync(session, link, cancellationToken).ConfigureAwait(false);
        return (sms, refusal is null ? null : Refuse(refusal));
    }

    /// <summary>As <see cref="CreateAndSendAsync"/>, with the limit that refused it rather than an HTTP answer (the portal words it itself).</summary>
    public async Task<(SessionSms? Sms, SmsLimitRefusal? Refusal)> TryCreateAndSendAsync(CallSession session, string link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(link);
        PhoneNumber phone = PhoneNumber.TryParse(session.Phone, out PhoneNumber? parsed)
            ? parsed
            : throw new ArgumentException("The session's phone number was not validated.", nameof(session));
        if (limits.CheckCountry(phone) is { } country)
        {
            return (null, country);
        }

        SmsLimitRefusal? refusal = await limits.TryAddSessionAsync(
            session with { Sms = new SessionSms(SessionSmsState.Unknown, null, null, time.GetUtcNow()) },
            cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            Log.LimitRefused(logger, session.CreatedBy, refusal.Name);
            return (null, refusal);
        }

        SessionSms sms = await SendAsync(new SmsMessage(phone.Value, Body(session, link), session.Id), cancellationToken).ConfigureAwait(false);

        // The session exists now whatever the provider said: record the outcome even if the officer's request was cancelled.
        await store.UpdateSmsAsync(session.Id, sms, CancellationToken.None).ConfigureAwait(false);
        return (sms, null);
    }

    /// <summary>Asks the provider where a message it accepted is now, and records it; the stored state when there is nothing to ask.</summary>
    public async Task<CallSession> RefreshDeliveryAsync(CallSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Sms is not { ProviderMessageId: { } messageId, State: SessionSmsState.Queued or SessionSmsState.Sent or SessionSmsState.Unknown })
        {
            return session;
        }

        SmsDeliveryReport? report = await AskDeliveryAsync(messageId, session.Id, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return session;
        }

        var sms = new SessionSms(Map(report.State), messageId, report.State == SmsDeliveryState.Failed ? $"The provider could not deliver it: {report.Detail ?? "no reason given"}." : null, session.Sms.SentAt);
        if (sms.State != session.Sms.State)
        {
            await store.UpdateSmsAsync(session.Id, sms, cancellationToken).ConfigureAwait(false);
        }

        return session with { Sms = sms };
    }

    /// <summary>The text: what the link is for and how long it works. It carries no personal data.</summary>
    internal static string Body(CallSession session, string link)
    {
        int minutes = Math.Max(1, (int)Math.Round((session.CallerTokenExpiresAt - session.CreatedAt).TotalMinutes));
        string what = session.Mode == SessionMode.Location ? "your location" : "live video and your location";
        return $"Police: to share {what} with the officer you are speaking to, open {link} - it works for {minutes} minutes. You choose whether to share.";
    }

    [SuppressMessage("Design", "CA1031", Justification = "A plugin's failure must not lose the stored session; it is recorded as a failed SMS.")]
    private async Task<SessionSms> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        DateTimeOffset at = time.GetUtcNow();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProviderTimeout);
        try
        {
            SmsSendResult result = await sender.SendAsync(message, timeout.Token).ConfigureAwait(false);
            if (!result.Accepted)
            {
                Log.SendRefused(logger, message.Reference, result.Error ?? "no reason given");
                return new SessionSms(SessionSmsState.Failed, null, $"The SMS provider refused the message: {result.Error ?? "no reason given"}. Read the link to the caller, or try a new session.", at);
            }

            Log.Sent(logger, message.Reference, result.ProviderMessageId ?? "");
            return new SessionSms(Map(result.State), result.ProviderMessageId, null, at);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SendFailed(logger, message.Reference, e);
            string why = e is OperationCanceledException ? $"it did not answer within {ProviderTimeout.TotalSeconds:0} seconds" : e.Message;
            return new SessionSms(SessionSmsState.Failed, null, $"The SMS provider failed: {why}. Read the link to the caller, or try a new session.", at);
        }
    }

    [SuppressMessage("Design", "CA1031", Justification = "A status check that fails leaves the stored state as it was.")]
    private async Task<SmsDeliveryReport?> AskDeliveryAsync(string messageId, string sessionId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            return await sender.GetDeliveryStatusAsync(messageId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.StatusFailed(logger, sessionId, e);
            return null;
        }
    }

    private static SessionSmsState Map(SmsDeliveryState state) => state switch
    {
        SmsDeliveryState.Queued => SessionSmsState.Queued,
        SmsDeliveryState.Sent => SessionSmsState.Sent,
        SmsDeliveryState.Delivered => SessionSmsState.Delivered,
        SmsDeliveryState.Failed => SessionSmsState.Failed,
        _ => SessionSmsState.Unknown,
    };

    internal static IResult Refuse(SmsLimitRefusal refusal)
    {
        int status = refusal.Limit == SmsLimitKind.CountryNotAllowed ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status429TooManyRequests;
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["limit"] = refusal.Name };
        if (refusal.FreesAt is { } freesAt)
        {
            extensions["retryAt"] = freesAt;
        }

        IResult problem = TypedResults.Problem(
            detail: refusal.Detail,
            statusCode: status,
            title: refusal.Limit == SmsLimitKind.CountryNotAllowed ? "Country not allowed for SMS" : "SMS sending limit reached",
            extensions: extensions);
        return refusal.FreesAt is null ? problem : new RetryAfterResult(problem, refusal.FreesAt.Value);
    }

    /// <summary>A result with a Retry-After header (RFC 9110 section 10.2.3), in whole seconds from now.</summary>
    private sealed class RetryAfterResult(IResult inner, DateTimeOffset at) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            TimeProvider clock = httpContext.RequestServices.GetRequiredService<TimeProvider>();
            double seconds = Math.Ceiling((at - clock.GetUtcNow()).TotalSeconds);
            httpContext.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "SMS for session {SessionId} accepted by the provider as {ProviderMessageId}")]
        public static partial void Sent(ILogger logger, string sessionId, string providerMessageId);

        [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "SMS for session {SessionId} refused by the provider: {Error}")]
        public static partial void SendRefused(ILogger logger, string sessionId, string error);

        [LoggerMessage(EventId = 312, Level = LogLevel.Error, Message = "SMS for session {SessionId}: the provider failed")]
        public static partial void SendFailed(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = 313, Level = LogLevel.Warning, Message = "SMS refused for {Officer} by the sending limit {Limit}")]
        public static partial void LimitRefused(ILogger logger, string officer, string limit);

        [LoggerMessage(EventId = 314, Level = LogLevel.Warning, Message = "SMS delivery status for session {SessionId} could not be read")]
        public static partial void StatusFailed(ILogger logger, string sessionId, Exception exception);
    }
}
