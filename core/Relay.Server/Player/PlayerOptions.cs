namespace Relay.Server.Player;

/// <summary>The officer's player (<c>Relay:Player</c>) and its map (<c>Relay:Map</c>).</summary>
internal sealed class PlayerOptions
{
    public const string SectionName = "Relay:Player";

    /// <summary>
    /// Who may show the player in an iframe: CSP <c>frame-ancestors</c> sources, e.g.
    /// <c>https://cad.force.example</c>. Empty: only the relay's own pages ('self').
    /// </summary>
    public string[] FrameAncestors { get; set; } = [];
}

/// <summary>The player's map tiles (<c>Relay:Map</c>).</summary>
internal sealed class MapOptions
{
    public const string SectionName = "Relay:Map";

    /// <summary>
    /// A Leaflet tile URL template such as <c>https://tiles.force.example/{z}/{x}/{y}.png</c>. Unset:
    /// no tiles (a plain background with the marker, trail and grid reference), so nothing is fetched
    /// from a third party unless the force chooses a tile server.
    /// </summary>
    public string? TileUrl { get; set; }

    /// <summary>The attribution the tile server's licence asks for.</summary>
    public string? Attribution { get; set; }

    public int MaxZoom { get; set; } = 19;
}
