using System.Runtime.InteropServices;

namespace Relay.Transport.Udp;

/// <summary>
/// sendmmsg(2) and recvmmsg(2) from libc, with the structures they take as laid out on 64-bit and
/// 32-bit Linux alike (pointer- and size_t-sized fields as <see cref="nint"/> and <see cref="nuint"/>).
/// Linux only: the caller checks <see cref="OperatingSystem.IsLinux"/> and falls back to one system call
/// per datagram elsewhere or when the kernel answers ENOSYS.
/// </summary>
internal static unsafe partial class LinuxSocketCalls
{
    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int ENoSys = 38;

    /// <summary>recvmmsg: block for the first datagram only, then take what is already queued.</summary>
    public const int MsgWaitForOne = 0x10000;

    /// <summary>Set in msg_flags when the datagram was longer than the buffer and cut.</summary>
    public const int MsgTrunc = 0x20;

    /// <summary>Room for any sockaddr this socket sees (sockaddr_in6 is 28 bytes), rounded up.</summary>
    public const int AddressStride = 32;

    [LibraryImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int sendmmsg(int socket, MMsgHdr* messages, uint count, int flags);

    [LibraryImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int recvmmsg(int socket, MMsgHdr* messages, uint count, int flags, void* timeout);

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public nint Base;
        public nuint Length;
    }

    /// <summary>struct msghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public nint Name;
        public uint NameLength;
        public nint Iov;
        public nuint IovLength;
        public nint Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>
    /// struct mmsghdr: a struct msghdr and the bytes the call moved for it. Nested rather than flattened
    /// so that msg_len lands after msghdr's tail padding (offset 56 of 64 on 64-bit), as in C.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }
}
