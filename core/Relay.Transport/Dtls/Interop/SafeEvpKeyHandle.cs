using Microsoft.Win32.SafeHandles;

namespace Relay.Transport.Dtls.Interop;

/// <summary>An EVP_PKEY reference (from d2i_AutoPrivateKey).</summary>
internal sealed class SafeEvpKeyHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeEvpKeyHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Libcrypto.EVP_PKEY_free(handle);
        return true;
    }
}
