namespace Relay.Server.Sessions;

/// <summary>Until streams are wired: no session has media.</summary>
internal sealed class NoSessionMedia : ISessionMedia
{
    public SessionMediaResponse Describe(string sessionId) => SessionMediaResponse.None;

    public void End(string sessionId)
    {
    }
}
