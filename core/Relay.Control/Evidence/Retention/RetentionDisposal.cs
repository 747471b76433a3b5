namespace Relay.Control.Evidence.Retention;

/// <summary>What happens to an item when its next review date comes.</summary>
public enum RetentionDisposal
{
    /// <summary>A person must decide (retain, recategorise or dispose); nothing is disposed automatically.</summary>
    Review,

    /// <summary>Disposed automatically at the review date unless held or retained by a review before then.</summary>
    Dispose,
}
