using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Relay.EndToEnd.Tests.Infrastructure;

namespace Relay.EndToEnd.Tests.Streaming;

/// <summary>
/// A hostile viewer that gets further than a stranger: it posts a real WHEP offer (Chromium's,
/// captured, with its own ICE credentials) and passes the relay's ICE check with a correct STUN
/// Binding request, so its address is validated; then it sends garbage instead of a DTLS
/// handshake. Written from RFC 5389 and RFC 8445 here, not with the relay's own STUN code.
/// </summary>
internal sealed class IceCheckingPeer : IDisposable
{
    private const uint MagicCookie = 0x2112A442;

    private readonly Socket _socket;
    private readonly string _localUfrag = "e2eHostile" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly string _localPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private string _relayUfrag = string.Empty;
    private string _relayPassword = string.Empty;
    private IPEndPoint _relay = new(IPAddress.Loopback, 0);

    public IceCheckingPeer()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    /// <summary>Posts the WHEP offer and reads the relay's ICE credentials and media address from the answer.</summary>
    public async Task JoinAsViewerAsync(RelayServer server, RelaySession session)
    {
        string template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "offers", "captured-chromium-whep-offer.sdp"));
        var offer = new StringBuilder();
        foreach (string line in template.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            offer.Append(line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal) ? "a=ice-ufrag:" + _localUfrag
                : line.StartsWith("a=ice-pwd:", StringComparison.Ordinal) ? "a=ice-pwd:" + _localPassword
                : line).Append("\r\n");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/whep/" + session.Id)
        {
            Content = new StringContent(offer.ToString(), Encoding.UTF8, "application/sdp"),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        using HttpResponseMessage response = await server.Http.SendAsync(request);
        string answer = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, $"WHEP answered {(int)response.StatusCode}: {answer}");
        foreach (string line in answer.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
            {
                _relayUfrag = line["a=ice-ufrag:".Length..];
            }
            else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
            {
                _relayPassword = line["a=ice-pwd:".Length..];
            }
        }

        _relay = new IPEndPoint(IPAddress.Loopback, server.MediaPort);
        Assert.NotEmpty(_relayUfrag);
        Assert.NotEmpty(_relayPassword);
    }

    /// <summary>Sends a Binding request as the controlling agent nominating the pair; true on a success response.</summary>
    public async Task<bool> PassConnectivityCheckAsync()
    {
        byte[] transaction = RandomNumberGenerator.GetBytes(12);
        await _socket.SendToAsync(BindingRequest(transaction), SocketFlags.None, _relay);
        byte[] buffer = new byte[1500];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            while (true)
            {
                SocketReceiveFromResult result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
                if (result.ReceivedBytes >= 20 && buffer.AsSpan(8, 12).SequenceEqual(transaction))
                {
                    return BinaryPrimitives.ReadUInt16BigEndian(buffer) == 0x0101;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public Task<int> SendAsync(byte[] datagram) => _socket.SendToAsync(datagram, SocketFlags.None, _relay);

    public void Dispose() => _socket.Dispose();

    /// <summary>
    /// RFC 8445 section 7.1.1: USERNAME relay:local, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, then
    /// MESSAGE-INTEGRITY (HMAC-SHA1 keyed by the relay's password) and FINGERPRINT (RFC 5389 section 15.5).
    /// </summary>
    private byte[] BindingRequest(byte[] transaction)
    {
        var message = new List<byte>(128);
        void U16(int value) => message.AddRange([(byte)(value >> 8), (byte)value]);
        void Attribute(int type, ReadOnlySpan<byte> value)
        {
            U16(type);
            U16(value.Length);
            message.AddRange(value.ToArray());
            for (int i = value.Length; i % 4 != 0; i++)
            {
                message.Add(0);
            }
        }

        void SetLength(int length) => BinaryPrimitives.WriteUInt16BigEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(message)[2..], (ushort)length);

        U16(0x0001);
        U16(0);
        message.AddRange(BitConverter.IsLittleEndian ? BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(MagicCookie)) : BitConverter.GetBytes(MagicCookie));
        message.AddRange(transaction);
        Attribute(0x0006, Encoding.ASCII.GetBytes(_relayUfrag + ":" + _localUfrag));
        byte[] priority = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(priority, 0x6E7F00FF);
        Attribute(0x0024, priority);
        Attribute(0x802A, RandomNumberGenerator.GetBytes(8));
        Attribute(0x0025, []);

        SetLength(message.Count - 20 + 24);
        byte[] integrity = HMACSHA1.HashData(Encoding.UTF8.GetBytes(_relayPassword), message.ToArray());
        Attribute(0x0008, integrity);

        SetLength(message.Count - 20 + 8);
        byte[] fingerprint = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(fingerprint, Crc32(message.ToArray()) ^ 0x5354554E);
        Attribute(0x8028, fingerprint);
        return [.. message];
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
