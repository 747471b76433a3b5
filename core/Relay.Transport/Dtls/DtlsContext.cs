using System.Security.Cryptography;
using Relay.Transport.Dtls.Interop;

namespace Relay.Transport.Dtls;

/// <summary>
/// Builds the SSL_CTX every transport of one certificate is made from: DTLS 1.2 only, forward-secret
/// AEAD cipher suites, no session resumption or renegotiation (each WebRTC handshake must present
/// and check the certificate afresh), and the certificate and key. Per-peer settings (role, verify
/// callback, SRTP profiles, MTU, timer) go on each SSL.
/// </summary>
internal static unsafe class DtlsContext
{
    // ECDSA suites for our generated certificate, RSA ones for operators' RSA certificates; OpenSSL
    // offers only those matching the key. Every browser and GStreamer/libwebrtc build offers these.
    private const string CipherList =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" +
        "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" +
        "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

    // OpenSSL sizes its buffer for a future handshake message by this (default 100 KB); browser
    // certificates are under 1 KB, so a smaller cap bounds what a hostile peer can make it hold.
    private const int MaxPeerCertificateListBytes = 16 * 1024;

    public static SafeSslContextHandle Create(SafeX509Handle certificate, SafeEvpKeyHandle privateKey)
    {
        OpenSslError.Clear();
        SafeSslContextHandle context = Libssl.SSL_CTX_new(Libssl.DTLS_method());
        if (context.IsInvalid)
        {
            context.Dispose();
            throw Failure("SSL_CTX_new");
        }

        try
        {
            Check(Libssl.SSL_CTX_ctrl(context, Libssl.SslCtrlSetMinProtoVersion, Libssl.Dtls12Version, null) == 1, "SSL_CTX_set_min_proto_version");
            Libssl.SSL_CTX_set_options(
                context,
                Libssl.OpNoQueryMtu | Libssl.OpNoTicket | Libssl.OpNoCompression | Libssl.OpCipherServerPreference | Libssl.OpNoRenegotiation);
            Libssl.SSL_CTX_ctrl(context, Libssl.SslCtrlSetSessCacheMode, Libssl.SessCacheOff, null);
            Libssl.SSL_CTX_ctrl(context, Libssl.SslCtrlSetMaxCertList, MaxPeerCertificateListBytes, null);
            Check(Libssl.SSL_CTX_set_cipher_list(context, CipherList) == 1, "SSL_CTX_set_cipher_list");
            Check(Libssl.SSL_CTX_use_certificate(context, certificate) == 1, "SSL_CTX_use_certificate");
            Check(Libssl.SSL_CTX_use_PrivateKey(context, privateKey) == 1, "SSL_CTX_use_PrivateKey");
            Check(Libssl.SSL_CTX_check_private_key(context) == 1, "SSL_CTX_check_private_key (the private key does not belong to the certificate)");
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static void Check(bool succeeded, string operation)
    {
        if (!succeeded)
        {
            throw Failure(operation);
        }
    }

    private static CryptographicException Failure(string operation) =>
        new($"OpenSSL {operation} failed: {OpenSslError.Drain("no error reported")}");
}
