namespace Relay.Server.Auth;

/// <summary>How long a person's sign-in lasts (<c>Relay:Auth</c>).</summary>
internal sealed class SignInOptions
{
    public const string SectionName = "Relay:Auth";

    /// <summary>A sign-in unused for this long ends; each request renews it (sliding expiry).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>However active, a sign-in ends this long after it was made (a shift).</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Failed sign-ins one address may make within <see cref="FailedSignInWindow"/> before it is
    /// refused (429) whatever the account; the per-account lockout is <c>Relay:Users</c>. A control
    /// room behind one address shares this, so it is well above one person's mistakes.
    /// </summary>
    public int FailedSignInsPerAddress { get; set; } = 20;

    /// <summary>The sliding window <see cref="FailedSignInsPerAddress"/> counts over.</summary>
    public TimeSpan FailedSignInWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Where the keys that protect sign-in cookies are kept, so sign-ins survive a restart. Nodes
    /// behind one address must share it. Default: a "keys" folder beside the database.
    /// </summary>
    public string? KeysDirectory { get; set; }
}
