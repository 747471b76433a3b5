using System.Diagnostics.CodeAnalysis;

namespace Relay.Control.Evidence;

/// <summary>Checks on what people type into the catalogue: reasons, actors, ids and names.</summary>
public static class EvidenceInput
{
    public const int MaxReasonLength = 2000;
    public const int MaxActorLength = 256;
    public const int MaxIdLength = 128;
    public const int MaxCategoryNameLength = 200;

    public static string Reason([NotNull] string? reason, string field = "reason")
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw Invalid(field, "Give a reason: it is kept in the audit log with who decided and when.");
        }

        if (reason.Length > MaxReasonLength)
        {
            throw Invalid(field, $"A reason is at most {MaxReasonLength} characters; this one has {reason.Length}.");
        }

        foreach (char c in reason)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                throw Invalid(field, "A reason may not contain control characters other than line breaks and tabs.");
            }
        }

        return reason.Trim();
    }

    public static void Actor([NotNull] string? actor)
    {
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > MaxActorLength)
        {
            throw new ArgumentException($"An actor is 1 to {MaxActorLength} characters.", nameof(actor));
        }
    }

    public static void ItemId([NotNull] string? itemId)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        if (itemId.Length is 0 or > MaxIdLength)
        {
            throw new EvidenceCatalogueException(EvidenceCatalogueError.NotFound, $"There is no evidence item '{Shorten(itemId)}'.");
        }
    }

    /// <summary>1 to 64 of A-Z a-z 0-9 - _ . (the same rule sessions have always applied to category names).</summary>
    public static bool IsCategoryId([NotNullWhen(true)] string? value)
    {
        if (value is null || value.Length is 0 or > 64)
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

    public static bool IsPrintable(string value)
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

    public static string Shorten(string value)
    {
        var text = new System.Text.StringBuilder(Math.Min(value.Length, 40));
        foreach (char c in value)
        {
            if (text.Length >= 40)
            {
                text.Append("...");
                break;
            }

            text.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        }

        return text.ToString();
    }

    public static EvidenceCatalogueException Invalid(string field, string message) =>
        new(EvidenceCatalogueError.Invalid, message) { Field = field };
}
