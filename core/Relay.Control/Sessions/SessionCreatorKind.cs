namespace Relay.Control.Sessions;

/// <summary>
/// What kind of officer created a session: a person signed in (<see cref="User"/>) or a system holding an API key
/// (<see cref="ApiKey"/>). Kept beside the creator's name because the two name spaces overlap: a person whose
/// sign-in name equals a key's name must not count as the creator of that key's sessions.
/// </summary>
public enum SessionCreatorKind
{
    User,
    ApiKey,

    /// <summary>Created before the kind was recorded (sessions schema version 1): nobody counts as its creator; a supervisor shares it.</summary>
    Unknown,
}
