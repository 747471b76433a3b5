using Microsoft.Extensions.Options;
using Relay.Control.Evidence.Retention;
using Relay.Control.Sessions;
using Relay.Control.Sms;
using Relay.Server.Audit;

namespace Relay.Server.Sessions;

/// <summary>
/// Creating a session once its request is read: checks the fields, mints the caller token, stores the
/// session, sends the link by SMS and audits both. <c>POST /api/sessions</c> and the portal's New
/// session page both create sessions through this, so they cannot drift apart.
/// </summary>
internal sealed class SessionCreator(SessionLinkSender links, AuditTrail audit, IOptionsMonitor<CallSessionOptions> options, IRetentionCategories retention, TimeProvider time)
{
    /// <param name="officer">Who creates it (an API key's or a person's name).</param>
    /// <param name="kind">Whether <paramref name="officer"/> is a person or an API key: the sharing rule needs both.</param>
    /// <param name="requestBaseUrl">Where the request reached the relay; the link uses it unless a link base URL is configured.</param>
    public async Task<SessionCreation> CreateAsync(CreateSessionRequest request, string officer, SessionCreatorKind kind, string requestBaseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(officer);
        ArgumentNullException.ThrowIfNull(requestBaseUrl);
        // Read per session: a token lifetime changed on the Tuning page applies to the next link; links already sent keep their expiry.
        CallSessionOptions settings = options.CurrentValue;
        IReadOnlyList<RetentionCategory> categories = await retention.ListAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<string, string[]> errors = SessionRequestValidator.Validate(request, categories, out SessionMode mode, out string? category);
        if (errors.Count > 0)
        {
            return new SessionCreation(null, null, null, errors, null);
        }

        string token = CallerSecret.Create();
        DateTimeOffset now = time.GetUtcNow();
        var session = new CallSession
        {
            Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            Incident = request.Incident!,
            Phone = request.Phone!,
            Mode = mode,
            Audio = request.Audio ?? false,
            Retention = category!,
            CreatedAt = now,
            CreatedBy = officer,
            CreatedByKind = kind,
            CallerTokenHash = CallerSecret.Hash(token),
            CallerTokenExpiresAt = now + settings.CallerTokenLifetime,
        };

        string baseUrl = string.IsNullOrEmpty(settings.LinkBaseUrl) ? requestBaseUrl.TrimEnd('/') : settings.LinkBaseUrl.TrimEnd('/');
        string link = $"{baseUrl}/c/{token}";
        (SessionSms? sms, SmsLimitRefusal? refusal) = await links.TryCreateAndSendAsync(session, link, cancellationToken).ConfigureAwait(false);
        if (sms is null)
        {
            return new SessionCreation(null, null, null, null, refusal);
        }

        await audit.SessionCreatedAsync(officer, session).ConfigureAwait(false);
        await audit.SmsSentAsync(officer, session, sms).ConfigureAwait(false);
        return new SessionCreation(session, link, sms, null, null);
    }
}

/// <summary>A created session with its link and SMS outcome; or the field errors; or the SMS limit that refused it.</summary>
internal sealed record SessionCreation(CallSession? Session, string? Link, SessionSms? Sms, Dictionary<string, string[]>? Errors, SmsLimitRefusal? Refusal);
