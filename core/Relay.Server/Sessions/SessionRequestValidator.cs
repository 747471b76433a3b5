using Relay.Control.Evidence.Retention;
using Relay.Control.Sessions;

namespace Relay.Server.Sessions;

/// <summary>Checks a <see cref="CreateSessionRequest"/>, with one message per field a person can act on.</summary>
internal static class SessionRequestValidator
{
    public const int MaxIncidentLength = 64;

    /// <param name="retentionCategories">The force's categories (<see cref="IRetentionCategories"/>); <paramref name="retention"/> is the one named, or the default when none is.</param>
    public static Dictionary<string, string[]> Validate(CreateSessionRequest request, IReadOnlyList<RetentionCategory> retentionCategories, out SessionMode mode, out string? retention)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(retentionCategories);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        mode = SessionMode.Video;
        retention = null;

        if (string.IsNullOrWhiteSpace(request.Incident))
        {
            errors["incident"] = ["Give the incident reference the session belongs to."];
        }
        else if (request.Incident.Length > MaxIncidentLength || !IsPrintable(request.Incident))
        {
            errors["incident"] = [$"The incident reference must be 1 to {MaxIncidentLength} printable characters, without line breaks."];
        }

        if (string.IsNullOrWhiteSpace(request.Phone))
        {
            errors["phone"] = ["Give the caller's mobile number in E.164 form, e.g. +447700900123."];
        }
        else if (!PhoneNumber.TryParse(request.Phone, out _))
        {
            errors["phone"] = [$"'{Truncate(Printable(request.Phone))}' is not a number in E.164 form: '+', a country code in use, then the number, {PhoneNumber.MinDigits} to {PhoneNumber.MaxDigits} digits in all, no spaces (e.g. +447700900123)."];
        }

        switch (request.Mode)
        {
            case "video":
                mode = SessionMode.Video;
                break;
            case "location":
                mode = SessionMode.Location;
                break;
            case null or "":
                errors["mode"] = ["Give the mode: \"video\" (live video and location) or \"location\" (location only)."];
                break;
            default:
                errors["mode"] = [$"'{Truncate(request.Mode)}' is not a mode; use \"video\" (live video and location) or \"location\" (location only)."];
                break;
        }

        if (request.Audio == true && request.Mode == "location")
        {
            errors["audio"] = ["A location-only session has no video, so it cannot ask for sound; use mode \"video\" with audio, or leave audio out."];
        }

        string known = string.Join(", ", retentionCategories.Select(static c => c.Id));
        if (request.Retention is null)
        {
            retention = retentionCategories.FirstOrDefault(static c => c.IsDefault)?.Id;
            if (retention is null)
            {
                errors["retention"] = [$"Give the retention category: one of {known} (no default category is set)."];
            }
        }
        else if (string.IsNullOrWhiteSpace(request.Retention))
        {
            errors["retention"] = [$"Give the retention category: one of {known}; or leave it out for the default."];
        }
        else if (!retentionCategories.Any(c => string.Equals(c.Id, request.Retention, StringComparison.Ordinal)))
        {
            errors["retention"] = [$"'{Truncate(Printable(request.Retention))}' is not a retention category here; use one of {known} (GET /api/retention/categories describes them)."];
        }
        else
        {
            retention = request.Retention;
        }

        return errors;
    }

    public static bool IsName(string value)
    {
        if (value.Length is 0 or > 64)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPrintable(string value)
    {
        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    // A refused value is echoed so the officer sees what was sent; control characters would garble the message.
    private static string Printable(string value)
    {
        var text = new System.Text.StringBuilder(Math.Min(value.Length, 40));
        foreach (char c in value)
        {
            text.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
            if (text.Length > 40)
            {
                break;
            }
        }

        return text.ToString();
    }

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "...";
}
