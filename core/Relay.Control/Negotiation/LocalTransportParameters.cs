using System.Net.Sockets;
using System.Net;
using Relay.Transport.Dtls;
using Relay.Transport.Ice;

namespace Relay.Control.Negotiation;

/// <summary>
/// The relay's side of one peer transport, as the answer announces it: ICE credentials the relay's
/// ICE-lite agent will check requests against, the fingerprint of its DTLS certificate, and its
/// media addresses, one host candidate each (the first is the default, on the m= and c= lines).
/// </summary>
public sealed class LocalTransportParameters
{
    /// <summary>Most candidate addresses one answer lists.</summary>
    public const int MaxCandidates = 16;

    public LocalTransportParameters(
        string iceUsernameFragment,
        string icePassword,
        DtlsFingerprint fingerprint,
        IReadOnlyList<IPEndPoint> candidates)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(candidates);
        if (!IceCredentials.IsValidUfrag(iceUsernameFragment))
        {
            throw new ArgumentException("The ICE username fragment must be 4 to 256 letters, digits, '+' or '/'.", nameof(iceUsernameFragment));
        }

        if (!IceCredentials.IsValidPassword(icePassword))
        {
            throw new ArgumentException("The ICE password must be 22 to 256 letters, digits, '+' or '/'.", nameof(icePassword));
        }

        if (candidates.Count is 0 or > MaxCandidates)
        {
            throw new ArgumentException($"Give 1 to {MaxCandidates} candidate addresses.", nameof(candidates));
        }

        var normalised = new IPEndPoint[candidates.Count];
        for (int i = 0; i < candidates.Count; i++)
        {
            IPEndPoint endpoint = candidates[i] ?? throw new ArgumentException("A candidate address is null.", nameof(candidates));
            IPAddress address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            {
                address = new IPAddress(address.GetAddressBytes());
            }

            if (endpoint.Port == 0
                || address.Equals(IPAddress.Any)
                || address.Equals(IPAddress.IPv6Any)
                || address.Equals(IPAddress.None))
            {
                throw new ArgumentException($"The candidate {endpoint} is not an address a peer can reach.", nameof(candidates));
            }

            normalised[i] = new IPEndPoint(address, endpoint.Port);
        }

        IceUsernameFragment = iceUsernameFragment;
        IcePassword = icePassword;
        Fingerprint = fingerprint;
        Candidates = normalised;
    }

    public string IceUsernameFragment { get; }

    public string IcePassword { get; }

    public DtlsFingerprint Fingerprint { get; }

    /// <summary>The media addresses, most preferred first.</summary>
    public IReadOnlyList<IPEndPoint> Candidates { get; }
}
