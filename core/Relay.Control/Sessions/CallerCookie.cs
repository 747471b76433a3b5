namespace Relay.Control.Sessions;

/// <summary>The cookie that carries the caller key in the caller's browser (HttpOnly, SameSite=Strict, Path=/).</summary>
public static class CallerCookie
{
    public const string Name = "relay_caller";
}
