using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Relay.Protocols.Stun;

/// <summary>
/// An IPv4 or IPv6 address and port as (XOR-)MAPPED-ADDRESS carries it, held by value so the packet
/// path can move it between a received <see cref="SocketAddress"/> and a response without allocating.
/// </summary>
/// <remarks>
/// The address is kept as its network-order bytes packed into two integers: IPv4 in the low 32 bits
/// of the second, IPv6 across both.
/// </remarks>
public readonly struct StunTransportAddress : IEquatable<StunTransportAddress>
{
    private const int SocketAddressPortOffset = 2;
    private const int SocketAddressIPv4Offset = 4;
    private const int SocketAddressIPv6Offset = 8;
    private const int SocketAddressIPv4Size = 16;
    private const int SocketAddressIPv6Size = 28;

    private readonly ulong _high;
    private readonly ulong _low;

    private StunTransportAddress(StunAddressFamily family, ushort port, ulong high, ulong low)
    {
        Family = family;
        Port = port;
        _high = high;
        _low = low;
    }

    /// <summary>Builds an address from its 4 (IPv4) or 16 (IPv6) network-order bytes.</summary>
    public StunTransportAddress(ReadOnlySpan<byte> address, ushort port)
    {
        if (address.Length == 4)
        {
            this = new StunTransportAddress(StunAddressFamily.IPv4, port, 0, BinaryPrimitives.ReadUInt32BigEndian(address));
        }
        else if (address.Length == 16)
        {
            this = new StunTransportAddress(
                StunAddressFamily.IPv6,
                port,
                BinaryPrimitives.ReadUInt64BigEndian(address),
                BinaryPrimitives.ReadUInt64BigEndian(address.Slice(8)));
        }
        else
        {
            ThrowHelper.ThrowArgument("An address is 4 (IPv4) or 16 (IPv6) bytes.", nameof(address));
        }
    }

    /// <summary><see cref="StunAddressFamily.None"/> for the default value.</summary>
    public StunAddressFamily Family { get; }

    public ushort Port { get; }

    /// <summary>4 for IPv4, 16 for IPv6, 0 for the default value.</summary>
    public int AddressLength => Family switch
    {
        StunAddressFamily.IPv4 => 4,
        StunAddressFamily.IPv6 => 16,
        _ => 0,
    };

    internal ulong High => _high;

    internal ulong Low => _low;

    internal static StunTransportAddress FromParts(StunAddressFamily family, ushort port, ulong high, ulong low) =>
        new(family, port, high, low);

    /// <summary>Copies the address's network-order bytes and returns how many there were.</summary>
    public int CopyAddressTo(Span<byte> destination)
    {
        int length = AddressLength;
        if (destination.Length < length)
        {
            ThrowHelper.ThrowArgument("The destination is shorter than the address.", nameof(destination));
        }

        if (Family == StunAddressFamily.IPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_low);
        }
        else if (Family == StunAddressFamily.IPv6)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
            BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(8), _low);
        }

        return length;
    }

    /// <summary>
    /// Reads the address a socket reported (for example from <c>Socket.ReceiveFrom(Span&lt;byte&gt;,
    /// SocketFlags, SocketAddress)</c>) without allocating. An IPv4-mapped IPv6 address, which a
    /// dual-stack socket reports for an IPv4 peer, becomes the IPv4 address the peer knows itself by.
    /// </summary>
    /// <returns>False if the family is neither IPv4 nor IPv6 or the buffer is too short for it.</returns>
    public static bool TryFromSocketAddress(SocketAddress socketAddress, out StunTransportAddress address)
    {
        ArgumentNullException.ThrowIfNull(socketAddress);

        // sockaddr_in and sockaddr_in6 put the port at offset 2 and the address at 4 and 8 on every
        // platform .NET runs on; only the family field's encoding differs, and SocketAddress reads that.
        ReadOnlySpan<byte> buffer = socketAddress.Buffer.Span.Slice(0, socketAddress.Size);
        switch (socketAddress.Family)
        {
            case AddressFamily.InterNetwork when buffer.Length >= SocketAddressIPv4Size:
                address = new StunTransportAddress(
                    StunAddressFamily.IPv4,
                    BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(SocketAddressPortOffset)),
                    0,
                    BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(SocketAddressIPv4Offset)));
                return true;
            case AddressFamily.InterNetworkV6 when buffer.Length >= SocketAddressIPv6Size:
                address = new StunTransportAddress(
                    buffer.Slice(SocketAddressIPv6Offset, 16),
                    BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(SocketAddressPortOffset))).Unmapped();
                return true;
            default:
                address = default;
                return false;
        }
    }

    /// <summary>
    /// Writes port and address into a <see cref="SocketAddress"/> the caller keeps for sending, so no
    /// endpoint is allocated per datagram. An IPv4 address written into an IPv6 socket address
    /// becomes IPv4-mapped, as a dual-stack socket expects.
    /// </summary>
    /// <returns>False if this is the default value, or the socket address is of another family (or an IPv6 address into an IPv4 one).</returns>
    public bool TryWriteTo(SocketAddress socketAddress)
    {
        ArgumentNullException.ThrowIfNull(socketAddress);

        Span<byte> buffer = socketAddress.Buffer.Span;
        AddressFamily family = socketAddress.Family;
        if (family == AddressFamily.InterNetwork && Family == StunAddressFamily.IPv4 && socketAddress.Size >= SocketAddressIPv4Size)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(SocketAddressPortOffset), Port);
            BinaryPrimitives.WriteUInt32BigEndian(buffer.Slice(SocketAddressIPv4Offset), (uint)_low);
            return true;
        }

        if (family == AddressFamily.InterNetworkV6 && Family != StunAddressFamily.None && socketAddress.Size >= SocketAddressIPv6Size)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer.Slice(SocketAddressPortOffset), Port);
            buffer.Slice(SocketAddressPortOffset + 2, 4).Clear();
            StunTransportAddress v6 = Family == StunAddressFamily.IPv4
                ? new StunTransportAddress(StunAddressFamily.IPv6, Port, 0, 0x0000_FFFF_0000_0000UL | _low)
                : this;
            BinaryPrimitives.WriteUInt64BigEndian(buffer.Slice(SocketAddressIPv6Offset), v6._high);
            BinaryPrimitives.WriteUInt64BigEndian(buffer.Slice(SocketAddressIPv6Offset + 8), v6._low);
            buffer.Slice(SocketAddressIPv6Offset + 16, 4).Clear();
            return true;
        }

        return false;
    }

    /// <summary>
    /// Converts an endpoint without allocating; an IPv4-mapped IPv6 address becomes IPv4 (see
    /// <see cref="TryFromSocketAddress"/>).
    /// </summary>
    public static StunTransportAddress FromIPEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);

        Span<byte> bytes = stackalloc byte[16];
        if (!endPoint.Address.TryWriteBytes(bytes, out int written))
        {
            ThrowHelper.ThrowArgument("The endpoint's address is neither IPv4 nor IPv6.", nameof(endPoint));
        }

        return new StunTransportAddress(bytes.Slice(0, written), (ushort)endPoint.Port).Unmapped();
    }

    /// <summary>Allocates an endpoint: for logs and the control plane, not per packet.</summary>
    public IPEndPoint ToIPEndPoint()
    {
        if (Family == StunAddressFamily.None)
        {
            ThrowHelper.ThrowInvalidOperation("The default transport address has no endpoint.");
        }

        Span<byte> bytes = stackalloc byte[16];
        int length = CopyAddressTo(bytes);
        return new IPEndPoint(new IPAddress(bytes.Slice(0, length)), Port);
    }

    public bool Equals(StunTransportAddress other) =>
        Family == other.Family && Port == other.Port && _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is StunTransportAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Family, Port, _high, _low);

    public override string ToString() => Family == StunAddressFamily.None ? "(none)" : ToIPEndPoint().ToString();

    public static bool operator ==(StunTransportAddress left, StunTransportAddress right) => left.Equals(right);

    public static bool operator !=(StunTransportAddress left, StunTransportAddress right) => !left.Equals(right);

    private StunTransportAddress Unmapped() =>
        Family == StunAddressFamily.IPv6 && _high == 0 && (_low >> 32) == 0x0000_FFFF
            ? new StunTransportAddress(StunAddressFamily.IPv4, Port, 0, (uint)_low)
            : this;
}
