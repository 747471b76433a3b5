using System.Reflection;

namespace Relay.Control.Audit;

/// <summary>
/// Every action the relay writes to the audit log, by name: the one list the code writes from and the
/// portal's Audit page suggests from (<see cref="All"/>), so a new action cannot be missing from the page.
/// </summary>
public static class AuditActions
{
    public const string Collection = "collection";
    public const string View = "view";
    public const string Export = "export";
    public const string Alteration = "alteration";
    public const string Disclosure = "disclosure";
    public const string Review = "review";
    public const string Erasure = "erasure";
    public const string SubjectAccess = "subject-access";
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignOut = "sign-out";
    public const string Lockout = "lockout";
    public const string RoleChange = "role-change";
    public const string UserCreated = "user-created";
    public const string UserDisabled = "user-disabled";
    public const string UserEnabled = "user-enabled";
    public const string PasswordChange = "password-change";
    public const string PasswordReset = "password-reset";
    public const string SessionCreated = "session-created";
    public const string SessionEnded = "session-ended";
    public const string SessionShared = "session-shared";
    public const string SessionUnshared = "session-unshared";
    public const string SmsSent = "sms-sent";
    public const string TuningChange = "tuning-change";
    public const string PluginHealthCheck = "plugin-health-check";
    public const string PluginTestSend = "plugin-test-send";
    public const string PluginSettingChange = "plugin-setting-change";

    /// <summary>Every constant above, in declaration order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(static f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(static f => (string)f.GetRawConstantValue()!)];
}
