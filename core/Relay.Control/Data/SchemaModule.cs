namespace Relay.Control.Data;

/// <summary>
/// One part of the relay's schema (sessions, users, audit, evidence...) and its migrations, in order.
/// Each module is versioned on its own, so parts of the system can add tables without coordinating
/// one global migration number. A migration, once released, is never edited: add the next one.
/// </summary>
/// <param name="Name">A stable name, stored in <c>schema_versions</c>; never renamed.</param>
/// <param name="Migrations">SQL scripts; migration <c>i</c> brings the module to version <c>i + 1</c>.</param>
public sealed record SchemaModule(string Name, IReadOnlyList<string> Migrations);
