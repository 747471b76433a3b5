using System.Text;
using Relay.Protocols.Stun;
using Relay.Transport.Ice;

namespace Relay.Transport.Tests.Ice;

/// <summary>Binding requests as a controlling peer sends them, made with the project's own writer.</summary>
internal static class TestRequests
{
    public static readonly IceCredentials Server = IceCredentials.Create("SrvUfrag", "ServerPasswordServerPass");

    public static readonly IceCredentials Client = IceCredentials.Create("CliUfrag", "ClientPasswordClientPass");

    public static readonly StunTransportAddress ClientAddress = new([198, 51, 100, 9], 50000);

    public static readonly StunTransportAddress OtherClientAddress = new([203, 0, 113, 77], 61000);

    /// <summary>An RTP packet (first byte 0x80, payload type 96) as media would arrive, encrypted or not.</summary>
    public static readonly byte[] Rtp = [0x80, 0x60, 0x00, 0x01, 0, 0, 0, 1, 0x11, 0x22, 0x33, 0x44, 1, 2, 3, 4];

    /// <summary>A DTLS ClientHello's first bytes (content type 22).</summary>
    public static readonly byte[] Dtls = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0];

    public static byte[] Binding(
        bool useCandidate = true,
        IceCredentials? server = null,
        IceCredentials? client = null,
        string? password = null,
        StunIceRole role = StunIceRole.Controlling,
        byte transactionByte = 1)
    {
        server ??= Server;
        client ??= Client;
        byte[] transactionId = Enumerable.Repeat(transactionByte, StunMessageReader.TransactionIdLength).ToArray();
        byte[] username = Encoding.ASCII.GetBytes(server.Ufrag + ":" + client.Ufrag);
        byte[] key = password is null ? server.PasswordBytes.ToArray() : Encoding.ASCII.GetBytes(password);
        StunMessageWriter writer = StunMessageWriter.BindingRequest(
            transactionId, username, IceControllingAgent.PeerReflexivePriority, role, 0x0102030405060708, useCandidate, key);
        byte[] buffer = new byte[writer.GetSerializedLength()];
        Assert.True(writer.TryWrite(buffer, out int written));
        Assert.Equal(buffer.Length, written);
        return buffer;
    }
}
