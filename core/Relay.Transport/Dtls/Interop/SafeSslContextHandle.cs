using Microsoft.Win32.SafeHandles;

namespace Relay.Transport.Dtls.Interop;

/// <summary>An SSL_CTX reference. SSL objects made from it hold their own, so it may be released first.</summary>
internal sealed class SafeSslContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeSslContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Libssl.SSL_CTX_free(handle);
        return true;
    }
}
