namespace Relay.Server.Evidence.Catalogue;

/// <summary>What one disposal run did.</summary>
/// <param name="Due">Items found due.</param>
/// <param name="Disposed">Items whose objects, files and rows were deleted and erasure audited.</param>
/// <param name="Failed">Items left for the next run after a failure (logged).</param>
/// <param name="Skipped">Items held or retained between being found and being disposed of.</param>
internal sealed record EvidenceDisposalRun(int Due, int Disposed, int Failed, int Skipped);
