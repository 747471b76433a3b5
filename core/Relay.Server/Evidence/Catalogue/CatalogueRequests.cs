namespace Relay.Server.Evidence.Catalogue;

/// <summary>The body of <c>POST /api/evidence/{id}/reviews</c>.</summary>
internal sealed class ReviewRequest
{
    /// <summary>"retain", "dispose" or "recategorise".</summary>
    public string? Decision { get; set; }

    public string? Reason { get; set; }

    /// <summary>With "recategorise": the new category's id.</summary>
    public string? Category { get; set; }

    /// <summary>With "retain" or "recategorise": the next review date; the category's period from now when absent.</summary>
    public DateTimeOffset? NextReviewAt { get; set; }
}

/// <summary>The body of <c>PUT</c> and <c>DELETE /api/evidence/{id}/hold</c>.</summary>
internal sealed class HoldRequest
{
    public string? Reason { get; set; }
}

/// <summary>The body of <c>PUT /api/retention/categories/{id}</c>.</summary>
internal sealed class CategoryRequest
{
    public string? Name { get; set; }

    /// <summary>P{n}Y, P{n}M or P{n}D.</summary>
    public string? ReviewPeriod { get; set; }

    /// <summary>"review" or "dispose".</summary>
    public string? Disposal { get; set; }

    /// <summary>Make it the category sessions get when they name none.</summary>
    public bool? Default { get; set; }

    /// <summary>Why the force changes it (audited).</summary>
    public string? Reason { get; set; }
}
