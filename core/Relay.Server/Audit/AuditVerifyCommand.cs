using Relay.Control.Audit;
using Relay.Control.Data;
using Relay.Server.Data;

namespace Relay.Server.Audit;

/// <summary><c>Relay.Server audit verify [--Relay:Database:Path=...]</c>: walks the audit chain; exit 0 intact, 1 broken (naming the row).</summary>
internal static class AuditVerifyCommand
{
    public static bool Matches(string[] args) => args is ["audit", "verify", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        RelayDatabase database = await OfflineDatabase.OpenAsync(OfflineDatabase.BuildConfiguration(args[2..]), cancellationToken).ConfigureAwait(false);
        using var log = new AuditLog(database, TimeProvider.System);
        AuditVerification result = await log.VerifyAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsIntact)
        {
            await output.WriteLineAsync($"The audit log in {database.FilePath} is intact: {result.RowsChecked} {(result.RowsChecked == 1 ? "row" : "rows")} verified.").ConfigureAwait(false);
            return 0;
        }

        await error.WriteLineAsync($"The audit log in {database.FilePath} is broken at row {result.BrokenSequence} ({result.RowsChecked} rows before it verified): {result.Problem}").ConfigureAwait(false);
        return 1;
    }
}
