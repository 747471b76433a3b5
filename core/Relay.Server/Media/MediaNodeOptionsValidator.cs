using System.Net;
using Microsoft.Extensions.Options;

namespace Relay.Server.Media;

/// <summary>Checks <see cref="MediaNodeOptions"/> at start, naming the setting and what it accepts.</summary>
internal sealed class MediaNodeOptionsValidator : IValidateOptions<MediaNodeOptions>
{
    private const string Section = MediaNodeOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, MediaNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 0 or > IPEndPoint.MaxPort)
        {
            failures.Add($"{Section}:Port is {options.Port}; give a UDP port from 1 to 65535, or 0 for any free port.");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"{Section}:BindAddress '{options.BindAddress}' is not an IP address; use 0.0.0.0 (all IPv4), :: (all, dual stack) or one of this machine's addresses.");
        }

        foreach (string address in options.PublicAddresses ?? [])
        {
            if (!IPAddress.TryParse(address, out IPAddress? parsed))
            {
                failures.Add($"{Section}:PublicAddresses has '{address}', which is not an IP address; list the addresses peers reach this node's media port on.");
            }
            else if (parsed.Equals(IPAddress.Any) || parsed.Equals(IPAddress.IPv6Any) || parsed.Equals(IPAddress.None))
            {
                failures.Add($"{Section}:PublicAddresses has '{address}', which no peer can send to; list the node's reachable addresses.");
            }
        }

        if ((options.PublicAddresses?.Length ?? 0) > Relay.Control.Negotiation.LocalTransportParameters.MaxCandidates)
        {
            failures.Add($"{Section}:PublicAddresses lists {options.PublicAddresses!.Length} addresses; an answer carries at most {Relay.Control.Negotiation.LocalTransportParameters.MaxCandidates}.");
        }

        bool hasCertificate = !string.IsNullOrWhiteSpace(options.CertificatePath);
        bool hasKey = !string.IsNullOrWhiteSpace(options.PrivateKeyPath);
        if (hasCertificate != hasKey)
        {
            failures.Add($"{Section}:CertificatePath and {Section}:PrivateKeyPath go together; set both (PEM files) or neither (a certificate is generated at start).");
        }
        else if (hasCertificate)
        {
            if (!File.Exists(options.CertificatePath))
            {
                failures.Add($"{Section}:CertificatePath '{options.CertificatePath}' does not exist or cannot be read.");
            }

            if (!File.Exists(options.PrivateKeyPath))
            {
                failures.Add($"{Section}:PrivateKeyPath '{options.PrivateKeyPath}' does not exist or cannot be read.");
            }
        }

        if (options.TickInterval < TimeSpan.FromMilliseconds(1) || options.TickInterval > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Section}:TickInterval is {options.TickInterval}; give 00:00:00.001 to 00:00:01 (20 ms is usual).");
        }

        if (options.ConsentTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Section}:ConsentTimeout is {options.ConsentTimeout}; give at least 1 second (RFC 7675 uses 30).");
        }

        if (options.PublisherGracePeriod < TimeSpan.Zero || options.PublisherGracePeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"{Section}:PublisherGracePeriod is {options.PublisherGracePeriod}; give 00:00:00 to 01:00:00 (30 seconds is usual).");
        }

        if (options.MaxRetransmissionBytesPerSecond < 1_000)
        {
            failures.Add($"{Section}:MaxRetransmissionBytesPerSecond is {options.MaxRetransmissionBytesPerSecond}; give at least 1000 (250000, 2 Mbit/s, is usual).");
        }

        if (options.PacketCacheCapacity is < 1 or > Relay.Media.PacketCache.MaxCapacity)
        {
            failures.Add($"{Section}:PacketCacheCapacity is {options.PacketCacheCapacity}; give 1 to {Relay.Media.PacketCache.MaxCapacity} packets per video track (1024, about 4 s of 2.5 Mbit/s video, is usual).");
        }

        if (options.KeyframeRequestInterval < TimeSpan.FromMilliseconds(50) || options.KeyframeRequestInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{Section}:KeyframeRequestInterval is {options.KeyframeRequestInterval}; give 00:00:00.050 to 00:00:10 (00:00:00.500 is usual).");
        }

        if (options.MaxPublisherVideoBitrate != 0 && options.MaxPublisherVideoBitrate is < 100_000 or > 50_000_000)
        {
            failures.Add($"{Section}:MaxPublisherVideoBitrate is {options.MaxPublisherVideoBitrate}; give 0 (no cap) or 100000 to 50000000 bits a second (2500000 suits a phone's 720p).");
        }

        if (double.IsNaN(options.ViewerPacketLossForTesting) || options.ViewerPacketLossForTesting is < 0 or > 1)
        {
            failures.Add($"{Section}:ViewerPacketLossForTesting is {options.ViewerPacketLossForTesting}; give a share from 0 to 1 (0 in production).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
