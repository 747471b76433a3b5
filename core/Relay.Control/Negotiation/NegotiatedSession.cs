using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Relay.Control.Negotiation;

/// <summary>
/// The outcome of an accepted offer: what the transport and the media need (plain parameters, no
/// SDP), and, given the relay's own transport parameters, the answer to send back.
/// </summary>
public sealed class NegotiatedSession
{
    internal NegotiatedSession(
        NegotiationKind kind,
        RemoteTransportParameters remoteTransport,
        IReadOnlyList<AnswerSection> sections,
        IReadOnlyList<string>? bundleMids,
        OutgoingMedia? stream)
    {
        Kind = kind;
        RemoteTransport = remoteTransport;
        Sections = sections;
        BundleMids = bundleMids;
        Stream = stream;
        var media = new List<NegotiatedMedia>();
        foreach (AnswerSection section in sections)
        {
            if (section.Accepted is not null)
            {
                media.Add(section.Accepted);
            }
        }

        Media = media;
    }

    public NegotiationKind Kind { get; }

    /// <summary>The peer's ICE credentials, certificate fingerprint and DTLS role.</summary>
    public RemoteTransportParameters RemoteTransport { get; }

    /// <summary>The accepted media sections (one audio and/or one video), in m-line order.</summary>
    public IReadOnlyList<NegotiatedMedia> Media { get; }

    /// <summary>Every offered section, accepted or not, in m-line order.</summary>
    internal IReadOnlyList<AnswerSection> Sections { get; }

    /// <summary>The mids of the answer's BUNDLE group; null when the offer had none.</summary>
    internal IReadOnlyList<string>? BundleMids { get; }

    /// <summary>WHEP: the stream the relay sends.</summary>
    internal OutgoingMedia? Stream { get; }

    /// <summary>
    /// The SDP answer (CRLF lines): ICE-lite with one host candidate per local address, DTLS passive
    /// with the relay's fingerprint, BUNDLE and rtcp-mux, each offered m= line answered in order.
    /// </summary>
    public string CreateAnswer(LocalTransportParameters local)
    {
        ArgumentNullException.ThrowIfNull(local);
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);

        // JSEP (RFC 8829 section 5.2.1): sess-id below 2^63 so it fits a signed 64-bit integer.
        ulong sessionId = BinaryPrimitives.ReadUInt64LittleEndian(random) & long.MaxValue;
        return Sdp.SdpWriter.Write(AnswerBuilder.Build(this, local, sessionId));
    }
}
