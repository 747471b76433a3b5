using System.Runtime.InteropServices;

namespace Relay.Transport.Dtls.Interop;

/// <summary>
/// The libssl functions the DTLS transport uses. OpenSSL 3.0 (Debian 12) is the floor: nothing from
/// 3.2 (BIO_s_dgram_mem, SSL_set1_initial_timeout_duration) is used. Macros such as SSL_set_mtu and
/// DTLSv1_get_timeout are reached through SSL_ctrl and SSL_CTX_ctrl with the command numbers below.
/// </summary>
internal static unsafe partial class Libssl
{
    public const string Name = "libssl.so.3";

    public const int SslCtrlSetMtu = 17;               // SSL_set_mtu
    public const int SslCtrlSetSessCacheMode = 44;     // SSL_CTX_set_session_cache_mode
    public const int SslCtrlSetMaxCertList = 51;       // SSL_CTX_set_max_cert_list
    public const int DtlsCtrlGetTimeout = 73;          // DTLSv1_get_timeout
    public const int DtlsCtrlHandleTimeout = 74;       // DTLSv1_handle_timeout
    public const int SslCtrlSetMinProtoVersion = 123;  // SSL_CTX_set_min_proto_version

    public const int Dtls12Version = 0xFEFD;
    public const int SessCacheOff = 0;

    public const ulong OpNoQueryMtu = 1UL << 12;
    public const ulong OpNoTicket = 1UL << 14;
    public const ulong OpNoCompression = 1UL << 17;
    public const ulong OpCipherServerPreference = 1UL << 22;
    public const ulong OpNoRenegotiation = 1UL << 30;

    public const int VerifyPeer = 0x01;
    public const int VerifyFailIfNoPeerCert = 0x02;

    public const int ErrorWantRead = 2;
    public const int ErrorZeroReturn = 6;

    // SSL_set_app_data uses ex_data index 0, which OpenSSL reserves for the application.
    public const int AppDataIndex = 0;

    public const int NidChacha20Poly1305 = 1018;

    [LibraryImport(Name)]
    public static partial IntPtr DTLS_method();

    [LibraryImport(Name)]
    public static partial SafeSslContextHandle SSL_CTX_new(IntPtr method);

    [LibraryImport(Name)]
    public static partial void SSL_CTX_free(IntPtr context);

    [LibraryImport(Name)]
    public static partial nint SSL_CTX_ctrl(SafeSslContextHandle context, int cmd, nint larg, void* parg);

    [LibraryImport(Name)]
    public static partial ulong SSL_CTX_set_options(SafeSslContextHandle context, ulong options);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_CTX_set_cipher_list(SafeSslContextHandle context, string ciphers);

    [LibraryImport(Name)]
    public static partial int SSL_CTX_use_certificate(SafeSslContextHandle context, SafeX509Handle certificate);

    [LibraryImport(Name)]
    public static partial int SSL_CTX_use_PrivateKey(SafeSslContextHandle context, SafeEvpKeyHandle key);

    [LibraryImport(Name)]
    public static partial int SSL_CTX_check_private_key(SafeSslContextHandle context);

    [LibraryImport(Name)]
    public static partial SafeSslHandle SSL_new(SafeSslContextHandle context);

    [LibraryImport(Name)]
    public static partial void SSL_free(IntPtr ssl);

    [LibraryImport(Name)]
    public static partial void SSL_set_bio(SafeSslHandle ssl, IntPtr readBio, IntPtr writeBio);

    [LibraryImport(Name)]
    public static partial void SSL_set_accept_state(SafeSslHandle ssl);

    [LibraryImport(Name)]
    public static partial void SSL_set_connect_state(SafeSslHandle ssl);

    [LibraryImport(Name)]
    public static partial void SSL_set_verify(SafeSslHandle ssl, int mode, delegate* unmanaged<int, IntPtr, int> callback);

    [LibraryImport(Name)]
    public static partial void DTLS_set_timer_cb(SafeSslHandle ssl, delegate* unmanaged<IntPtr, uint, uint> callback);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SSL_set_tlsext_use_srtp(SafeSslHandle ssl, string profiles);

    [LibraryImport(Name)]
    public static partial int SSL_set_ex_data(SafeSslHandle ssl, int index, IntPtr data);

    [LibraryImport(Name)]
    public static partial IntPtr SSL_get_ex_data(IntPtr ssl, int index);

    [LibraryImport(Name)]
    public static partial int SSL_get_ex_data_X509_STORE_CTX_idx();

    [LibraryImport(Name)]
    public static partial nint SSL_ctrl(SafeSslHandle ssl, int cmd, nint larg, void* parg);

    [LibraryImport(Name)]
    public static partial int SSL_do_handshake(SafeSslHandle ssl);

    [LibraryImport(Name)]
    public static partial int SSL_read(SafeSslHandle ssl, byte* buffer, int length);

    [LibraryImport(Name)]
    public static partial int SSL_shutdown(SafeSslHandle ssl);

    [LibraryImport(Name)]
    public static partial int SSL_get_error(SafeSslHandle ssl, int result);

    [LibraryImport(Name)]
    public static partial SafeX509Handle SSL_get1_peer_certificate(SafeSslHandle ssl);

    [LibraryImport(Name)]
    public static partial IntPtr SSL_get_selected_srtp_profile(SafeSslHandle ssl);

    [LibraryImport(Name)]
    public static partial IntPtr SSL_get_current_cipher(SafeSslHandle ssl);

    [LibraryImport(Name)]
    public static partial int SSL_CIPHER_get_cipher_nid(IntPtr cipher);

    [LibraryImport(Name)]
    public static partial int SSL_export_keying_material(
        SafeSslHandle ssl,
        byte* output,
        nuint outputLength,
        byte* label,
        nuint labelLength,
        byte* context,
        nuint contextLength,
        int useContext);
}
