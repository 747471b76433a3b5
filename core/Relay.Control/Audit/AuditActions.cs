namespace Relay.Control.Audit;

/// <summary>The actions the audit log knows by name.</summary>
public static class AuditActions
{
    public const string Collection = "collection";
    public const string View = "view";
    public const string Export = "export";
    public const string Alteration = "alteration";
    public const string Disclosure = "disclosure";
    public const string Review = "review";
    public const string Erasure = "erasure";
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignOut = "sign-out";
    public const string Lockout = "lockout";
    public const string RoleChange = "role-change";
    public const string UserCreated = "user-created";
    public const string UserDisabled = "user-disabled";
    public const string UserEnabled = "user-enabled";
    public const string PasswordChange = "password-change";
    public const string SessionCreated = "session-created";
    public const string SmsSent = "sms-sent";
}
