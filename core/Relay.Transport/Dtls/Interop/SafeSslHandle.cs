using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Relay.Transport.Dtls.Interop;

/// <summary>
/// An SSL object with the memory BIOs it owns. It also owns the GCHandle stored as its app data (the
/// way OpenSSL's callbacks find their transport), so a transport that is never disposed leaks neither.
/// </summary>
internal sealed class SafeSslHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeSslHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        IntPtr appData = Libssl.SSL_get_ex_data(handle, Libssl.AppDataIndex);
        Libssl.SSL_free(handle);
        if (appData != IntPtr.Zero)
        {
            GCHandle.FromIntPtr(appData).Free();
        }

        return true;
    }
}
