namespace Relay.Control.Data;

/// <summary>Where the relay keeps its system of record (<c>Relay:Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Relay:Database";

    /// <summary>The SQLite file; relative paths are under the host's data directory. ":memory:" is not allowed: the record must survive a restart.</summary>
    public string Path { get; set; } = "relay.db";
}
