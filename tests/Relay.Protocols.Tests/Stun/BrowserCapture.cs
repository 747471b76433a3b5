using System.Text;

namespace Relay.Protocols.Tests.Stun;

/// <summary>
/// A connectivity check a Chromium browser sent, as published in str0m's STUN tests (the Rust WebRTC
/// stack) with the password it was made under. Checked here independently: its MESSAGE-INTEGRITY and
/// FINGERPRINT verify. It carries Chrome's GOOG-NETWORK-INFO (0xC057), a comprehension-optional
/// attribute a reader must skip.
/// </summary>
internal static class BrowserCapture
{
    public const string Password = "xJcE9AQAR7kczUDVOXRUCl";

    public static readonly byte[] PasswordBytes = Encoding.UTF8.GetBytes(Password);

    /// <summary>USERNAME "p9KA:SQAt", GOOG-NETWORK-INFO, ICE-CONTROLLING, USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT.</summary>
    public static byte[] NominatingBindingRequest => Rfc5769.Hex("""
        00 01 00 50 21 12 a4 42 6a 75 63 31 35 75 78 55 6e 67 47 63
        00 06 00 09 70 39 4b 41 3a 53 51 41 74 00 00 00
        c0 57 00 04 00 01 00 0a
        80 2a 00 08 6e ee c6 e9 7d 18 39 5c
        00 25 00 00
        00 24 00 04 6e 7f 1e ff
        00 08 00 14 5d 04 25 a0 20 7a b1 e0 54 10 22 99 aa f9 83 9c a0 76 c6 d5
        80 28 00 04 36 0e 21 9f
        """);
}
