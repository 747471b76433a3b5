using System.Runtime.InteropServices;
using System.Text;

namespace Relay.Transport.Dtls.Interop;

/// <summary>
/// Reads OpenSSL's error queue into text for a failure reason. The queue is per thread and survives
/// between calls, so callers clear it before each operation and drain it after a failure.
/// </summary>
internal static unsafe class OpenSslError
{
    private const int MaxErrors = 8;

    public static void Clear() => Libcrypto.ERR_clear_error();

    /// <summary>
    /// Empties the queue and returns its entries joined, e.g. "error:0A000412:SSL routines::sslv3
    /// alert bad certificate"; <paramref name="fallback"/> if the queue was empty.
    /// </summary>
    public static string Drain(string fallback)
    {
        StringBuilder? text = null;
        byte* buffer = stackalloc byte[256];
        int count = 0;
        nuint error;
        while ((error = Libcrypto.ERR_get_error()) != 0)
        {
            if (count++ == MaxErrors)
            {
                continue;
            }

            Libcrypto.ERR_error_string_n(error, buffer, 256);
            string entry = Marshal.PtrToStringUTF8((IntPtr)buffer) ?? string.Empty;
            text = text is null ? new StringBuilder(entry) : text.Append("; ").Append(entry);
        }

        return text?.ToString() ?? fallback;
    }
}
