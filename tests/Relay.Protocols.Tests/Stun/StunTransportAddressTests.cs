using System.Net;
using System.Net.Sockets;
using Relay.Protocols.Stun;

namespace Relay.Protocols.Tests.Stun;

public class StunTransportAddressTests
{
    [Theory]
    [InlineData("192.0.2.1", 32853)]
    [InlineData("203.0.113.45", 0)]
    [InlineData("2001:db8:1234:5678:11:2233:4455:6677", 65535)]
    [InlineData("::1", 3478)]
    public void IPEndPoint_RoundTrips(string ip, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(ip), port);

        StunTransportAddress address = StunTransportAddress.FromIPEndPoint(endPoint);

        Assert.Equal(endPoint, address.ToIPEndPoint());
        Assert.Equal((ushort)port, address.Port);
        Assert.Equal(endPoint.AddressFamily == AddressFamily.InterNetwork ? StunAddressFamily.IPv4 : StunAddressFamily.IPv6, address.Family);
    }

    [Fact]
    public void FromIPEndPoint_TurnsAnIPv4MappedAddressIntoIPv4()
    {
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 3478);

        StunTransportAddress address = StunTransportAddress.FromIPEndPoint(mapped);

        Assert.Equal(StunAddressFamily.IPv4, address.Family);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 3478), address.ToIPEndPoint());
    }

    [Theory]
    [InlineData("198.51.100.9", 50000)]
    [InlineData("2001:db8::42", 443)]
    public void SocketAddress_RoundTrips(string ip, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(ip), port);
        SocketAddress socketAddress = endPoint.Serialize();

        Assert.True(StunTransportAddress.TryFromSocketAddress(socketAddress, out StunTransportAddress address));
        Assert.Equal(StunTransportAddress.FromIPEndPoint(endPoint), address);

        var target = new SocketAddress(endPoint.AddressFamily);
        Assert.True(address.TryWriteTo(target));
        Assert.Equal(endPoint, endPoint.Create(target));
    }

    [Fact]
    public void SocketAddress_FromADualStackSocketReadsAsIPv4AndWritesBackMapped()
    {
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.9"), 50000);

        Assert.True(StunTransportAddress.TryFromSocketAddress(mapped.Serialize(), out StunTransportAddress address));
        Assert.Equal(StunAddressFamily.IPv4, address.Family);

        var target = new SocketAddress(AddressFamily.InterNetworkV6);
        Assert.True(address.TryWriteTo(target));
        Assert.Equal(mapped, mapped.Create(target));
    }

    [Fact]
    public void TryWriteTo_RefusesAnIPv6AddressIntoAnIPv4SocketAddress()
    {
        StunTransportAddress address = StunTransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.IPv6Loopback, 1));

        Assert.False(address.TryWriteTo(new SocketAddress(AddressFamily.InterNetwork)));
        Assert.False(default(StunTransportAddress).TryWriteTo(new SocketAddress(AddressFamily.InterNetworkV6)));
    }

    [Fact]
    public void TryFromSocketAddress_RefusesOtherFamilies()
    {
        Assert.False(StunTransportAddress.TryFromSocketAddress(new SocketAddress(AddressFamily.Unix, 32), out _));
    }

    [Fact]
    public void Constructor_TakesFourOrSixteenBytes()
    {
        var v4 = new StunTransportAddress([192, 0, 2, 1], 1);
        Span<byte> bytes = stackalloc byte[16];
        Assert.Equal(4, v4.CopyAddressTo(bytes));
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, bytes.Slice(0, 4).ToArray());

        Assert.Throws<ArgumentException>(() => new StunTransportAddress(new byte[5], 1));
        Assert.Throws<InvalidOperationException>(() => default(StunTransportAddress).ToIPEndPoint());
    }

    [Fact]
    public void TryFromSocketAddress_AllocatesNothing()
    {
        SocketAddress v4 = new IPEndPoint(IPAddress.Parse("198.51.100.9"), 50000).Serialize();
        SocketAddress v6 = new IPEndPoint(IPAddress.Parse("2001:db8::42"), 443).Serialize();
        var target = new SocketAddress(AddressFamily.InterNetworkV6);
        var endPoint = new IPEndPoint(IPAddress.Parse("2001:db8::43"), 444);

        long allocated = Allocations.Measure(() =>
        {
            StunTransportAddress.TryFromSocketAddress(v4, out StunTransportAddress a);
            StunTransportAddress.TryFromSocketAddress(v6, out StunTransportAddress b);
            a.TryWriteTo(target);
            b.TryWriteTo(target);
            StunTransportAddress.FromIPEndPoint(endPoint);
        });

        Assert.Equal(0, allocated);
    }
}
