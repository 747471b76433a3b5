namespace Relay.Server.Sessions;

/// <summary>The media side of sessions as the session API needs it: what is live, and ending it.</summary>
internal interface ISessionMedia
{
    SessionMediaResponse Describe(string sessionId);

    /// <summary>Ends the session's stream and every viewer; nothing if there is none.</summary>
    void End(string sessionId);
}
