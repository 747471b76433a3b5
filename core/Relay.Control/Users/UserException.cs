namespace Relay.Control.Users;

/// <summary>A user change that cannot be made, with the reason for a person (a weak password, a name in use).</summary>
public sealed class UserException : Exception
{
    public UserException()
    {
    }

    public UserException(string message)
        : base(message)
    {
    }

    public UserException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
