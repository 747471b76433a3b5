namespace Relay.Server.Sessions;

/// <summary>Checks a <see cref="CreateSessionRequest"/>, with one message per field a person can act on.</summary>
internal static class SessionRequestValidator
{
    public const int MaxIncidentLength = 64;

    public static Dictionary<string, string[]> Validate(CreateSessionRequest request, IReadOnlyCollection<string> retentionCategories, out SessionMode mode)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(retentionCategories);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        mode = SessionMode.Video;

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
        else if (!IsE164(request.Phone))
        {
            errors["phone"] = [$"'{Truncate(request.Phone)}' is not a number in E.164 form: '+', the country code, then the number, 15 digits at most, no spaces (e.g. +447700900123)."];
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

        if (string.IsNullOrWhiteSpace(request.Retention))
        {
            errors["retention"] = [retentionCategories.Count > 0
                ? $"Give the retention category: one of {string.Join(", ", retentionCategories)}."
                : "Give the retention category the recording is kept under."];
        }
        else if (retentionCategories.Count > 0 ? !retentionCategories.Contains(request.Retention) : !IsName(request.Retention))
        {
            errors["retention"] = [retentionCategories.Count > 0
                ? $"'{Truncate(request.Retention)}' is not a retention category here; use one of {string.Join(", ", retentionCategories)}."
                : "A retention category is 1 to 64 letters, digits, '-', '_' or '.'."];
        }

        return errors;
    }

    /// <summary>E.164: '+', a country code not starting with 0, at most 15 digits in all.</summary>
    public static bool IsE164(string phone)
    {
        if (phone.Length is < 3 or > 16 || phone[0] != '+' || phone[1] is < '1' or > '9')
        {
            return false;
        }

        for (int i = 2; i < phone.Length; i++)
        {
            if (!char.IsAsciiDigit(phone[i]))
            {
                return false;
            }
        }

        return true;
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

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "...";
}
