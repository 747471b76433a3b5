using Microsoft.Win32.SafeHandles;

namespace Relay.Transport.Dtls.Interop;

/// <summary>An X509 reference (from d2i_X509 or SSL_get1_peer_certificate).</summary>
internal sealed class SafeX509Handle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeX509Handle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Libcrypto.X509_free(handle);
        return true;
    }
}
