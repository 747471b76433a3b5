using System.Diagnostics.CodeAnalysis;
using Relay.Control.Audit;

namespace Relay.Control.Evidence;

/// <summary>Checks on what people type into the catalogue: reasons, actors, ids and names.</summary>
public static class EvidenceInput
{
    public const int MaxReasonLength = AuditInput.MaxReasonLength;
    public const int MaxActorLength = AuditInput.MaxActorLength;
    public const int MaxIdLength = 128;
    public const int MaxCategoryNameLength = 200;

    public static string Reason([NotNull] string? reason, string field = "reason")
    {
        if (AuditInput.ReasonProblem(reason, "with who decided and when") is { } problem)
        {
            throw Invalid(field, problem);
        }

        return reason!.Trim(); // ReasonProblem refuses null
    }

    public static void Actor([NotNull] string? actor) => AuditInput.CheckActor(actor);

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
