using System.Runtime.InteropServices;

namespace Relay.Transport.Dtls.Interop;

/// <summary>
/// The libcrypto functions the DTLS transport uses: memory BIOs, the error queue, DER decoding of
/// certificates and keys, and what the verify callback reads from an X509_STORE_CTX.
/// Only non-variadic functions are bound; macros are reached through the ctrl functions they expand to.
/// </summary>
internal static unsafe partial class Libcrypto
{
    public const string Name = "libcrypto.so.3";

    public const int BioCtrlPending = 10;       // BIO_CTRL_PENDING: BIO_ctrl_pending
    public const int BioSetBufMemEofReturn = 130; // BIO_C_SET_BUF_MEM_EOF_RETURN: BIO_set_mem_eof_return

    // X509_V_ERR_CERT_REJECTED: OpenSSL answers it with a bad_certificate alert.
    public const int X509VErrCertRejected = 28;

    [LibraryImport(Name)]
    public static partial IntPtr BIO_s_mem();

    [LibraryImport(Name)]
    public static partial IntPtr BIO_new(IntPtr type);

    [LibraryImport(Name)]
    public static partial int BIO_free(IntPtr bio);

    [LibraryImport(Name)]
    public static partial int BIO_write(IntPtr bio, byte* data, int length);

    [LibraryImport(Name)]
    public static partial int BIO_read(IntPtr bio, byte* data, int length);

    [LibraryImport(Name)]
    public static partial nint BIO_ctrl(IntPtr bio, int cmd, nint larg, void* parg);

    [LibraryImport(Name)]
    public static partial nuint ERR_get_error();

    [LibraryImport(Name)]
    public static partial void ERR_error_string_n(nuint error, byte* buffer, nuint length);

    [LibraryImport(Name)]
    public static partial void ERR_clear_error();

    [LibraryImport(Name)]
    public static partial SafeX509Handle d2i_X509(IntPtr reuse, byte** input, nint length);

    [LibraryImport(Name)]
    public static partial int i2d_X509(IntPtr x509, byte** output);

    [LibraryImport(Name)]
    public static partial void X509_free(IntPtr x509);

    [LibraryImport(Name)]
    public static partial SafeEvpKeyHandle d2i_AutoPrivateKey(IntPtr reuse, byte** input, nint length);

    [LibraryImport(Name)]
    public static partial void EVP_PKEY_free(IntPtr key);

    [LibraryImport(Name)]
    public static partial int X509_STORE_CTX_get_error_depth(IntPtr storeContext);

    [LibraryImport(Name)]
    public static partial void X509_STORE_CTX_set_error(IntPtr storeContext, int error);

    [LibraryImport(Name)]
    public static partial IntPtr X509_STORE_CTX_get_current_cert(IntPtr storeContext);

    [LibraryImport(Name)]
    public static partial IntPtr X509_STORE_CTX_get_ex_data(IntPtr storeContext, int index);
}
