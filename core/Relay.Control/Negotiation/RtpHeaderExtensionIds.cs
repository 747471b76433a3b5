namespace Relay.Control.Negotiation;

/// <summary>
/// The one-byte header extension ids (1 to 14) agreed for the extensions the relay uses; 0 means
/// the extension was not negotiated and must be neither written nor expected.
/// </summary>
public readonly record struct RtpHeaderExtensionIds(byte AbsSendTime, byte TransportWideCc, byte Mid, byte AudioLevel)
{
    /// <summary>No extensions negotiated.</summary>
    public static RtpHeaderExtensionIds None => default;
}
