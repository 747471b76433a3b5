namespace Relay.Control.Evidence;

/// <summary>What a review decided.</summary>
public enum EvidenceDecision
{
    /// <summary>Keep it: the next review is the date given, or the category's period from now.</summary>
    Retain,

    /// <summary>Dispose of it at the next disposal run (unless a legal hold is placed first).</summary>
    Dispose,

    /// <summary>Move it to another category: the next review is that category's period from now.</summary>
    Recategorise,
}
