namespace Relay.Protocols.Stun;

/// <summary>
/// What ICE needs from a Binding request <see cref="StunBindingCheck"/> has looked at. Only when the
/// check returned <see cref="StunCheckResult.Ok"/> is it authenticated; otherwise use no more than
/// <see cref="TransactionId"/> (to answer with an error) and, for 420, the unknown attributes.
/// </summary>
public readonly ref struct StunBindingRequest
{
    internal StunBindingRequest(StunMessageReader message) => Message = message;

    /// <summary>The message as read, for anything else (SOFTWARE, unknown attributes).</summary>
    public StunMessageReader Message { get; }

    public ReadOnlySpan<byte> TransactionId => Message.TransactionId;

    /// <summary>USERNAME: "local-ufrag:remote-ufrag" as seen from here (RFC 8445 section 7.2.2).</summary>
    public ReadOnlySpan<byte> Username => Message.Username;

    public uint Priority => Message.Priority;

    /// <summary>Whether the controlling agent nominates this pair.</summary>
    public bool UseCandidate => Message.UseCandidate;

    /// <summary>The role the sender claims.</summary>
    public StunIceRole Role =>
        Message.HasIceControlling ? StunIceRole.Controlling
        : Message.HasIceControlled ? StunIceRole.Controlled
        : StunIceRole.None;

    /// <summary>The tie breaker sent with the role, for role conflicts (RFC 8445 section 7.3.1.1).</summary>
    public ulong TieBreaker =>
        Message.HasIceControlling ? Message.IceControllingTieBreaker : Message.IceControlledTieBreaker;

    /// <summary>
    /// Splits USERNAME at its first colon into this agent's ufrag (before) and the sender's (after).
    /// </summary>
    /// <returns>False if there is no colon.</returns>
    public bool TrySplitUsername(out ReadOnlySpan<byte> localUfrag, out ReadOnlySpan<byte> remoteUfrag)
    {
        ReadOnlySpan<byte> username = Username;
        int colon = username.IndexOf((byte)':');
        if (colon < 0)
        {
            localUfrag = default;
            remoteUfrag = default;
            return false;
        }

        localUfrag = username.Slice(0, colon);
        remoteUfrag = username.Slice(colon + 1);
        return true;
    }
}
