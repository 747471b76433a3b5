namespace Relay.Control.Users;

/// <summary>Sign-in rules for people (<c>Relay:Users</c>).</summary>
public sealed class UserOptions
{
    public const string SectionName = "Relay:Users";

    /// <summary>Failed sign-ins in a row after which the account is locked.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The shortest password accepted (NIST SP 800-63B asks for at least 8; 12 is advised for staff accounts).</summary>
    public int MinPasswordLength { get; set; } = 12;
}
