using System.Diagnostics.CodeAnalysis;

namespace Relay.Control.Audit;

/// <summary>
/// The checks every audited change applies to who made it and why, in one place so that a reason
/// refused on the Tuning page is refused the same way on the Plugins and Evidence pages.
/// </summary>
public static class AuditInput
{
    public const int MaxReasonLength = 2000;
    public const int MaxActorLength = 256;

    /// <summary>
    /// What is wrong with <paramref name="reason"/>, in words for the person typing it; null when it will do.
    /// <paramref name="keptWith"/> finishes "it is kept in the audit log ..." for the empty case.
    /// </summary>
    public static string? ReasonProblem(string? reason, string keptWith)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return $"Give a reason: it is kept in the audit log {keptWith}.";
        }

        if (reason.Length > MaxReasonLength)
        {
            return $"A reason is at most {MaxReasonLength} characters; this one has {reason.Length}.";
        }

        foreach (char c in reason)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return "A reason may not contain control characters other than line breaks and tabs.";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="actor"/> is 1 to <see cref="MaxActorLength"/> characters.</summary>
    public static void CheckActor([NotNull] string? actor)
    {
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > MaxActorLength)
        {
            throw new ArgumentException($"An actor is 1 to {MaxActorLength} characters.", nameof(actor));
        }
    }
}
