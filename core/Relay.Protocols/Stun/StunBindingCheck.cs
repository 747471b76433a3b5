namespace Relay.Protocols.Stun;

/// <summary>
/// The check ICE-lite runs on every datagram that looks like STUN: read, FINGERPRINT if present,
/// Binding request, USERNAME and MESSAGE-INTEGRITY present and verified under the local password,
/// unknown comprehension-required attributes, then PRIORITY and the role (RFC 8489 sections 6.3 and
/// 9.1.3, RFC 8445 section 7.3). It allocates nothing.
/// </summary>
/// <remarks>
/// On a port shared by many sessions, the password depends on USERNAME: read the message first,
/// find the session by <see cref="StunMessageReader.Username"/>, then call
/// <see cref="Check(StunMessageReader, ReadOnlySpan{byte}, out StunBindingRequest)"/> with its key.
/// </remarks>
public static class StunBindingCheck
{
    /// <summary>Reads <paramref name="packet"/> and checks it under <paramref name="key"/> (the local ICE password's bytes).</summary>
    public static StunCheckResult Check(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> key, out StunBindingRequest request)
    {
        StunReadError error = StunMessageReader.Read(packet, out StunMessageReader message);
        if (error != StunReadError.None)
        {
            request = default;
            return error is StunReadError.TooShort or StunReadError.NotStun or StunReadError.BadMagicCookie
                ? StunCheckResult.NotStun
                : StunCheckResult.Malformed;
        }

        return Check(message, key, out request);
    }

    /// <summary>Checks a message already read, under <paramref name="key"/> (the local ICE password's bytes).</summary>
    public static StunCheckResult Check(StunMessageReader message, ReadOnlySpan<byte> key, out StunBindingRequest request)
    {
        request = new StunBindingRequest(message);
        if (message.HasFingerprint && !message.VerifyFingerprint())
        {
            return StunCheckResult.FingerprintMismatch;
        }

        if (message.Class != StunClass.Request || message.Method != StunMethod.Binding)
        {
            return StunCheckResult.NotBindingRequest;
        }

        if (!message.HasUsername || !message.HasMessageIntegrity)
        {
            return StunCheckResult.MissingCredentials;
        }

        if (key.IsEmpty || !message.VerifyMessageIntegrity(key))
        {
            return StunCheckResult.IntegrityMismatch;
        }

        if (message.UnknownComprehensionRequiredCount != 0)
        {
            return StunCheckResult.UnknownAttributes;
        }

        if (!message.HasPriority || (message.HasIceControlling && message.HasIceControlled))
        {
            return StunCheckResult.BadRequest;
        }

        return StunCheckResult.Ok;
    }
}
