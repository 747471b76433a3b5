namespace Relay.Control.Sdp;

/// <summary>Names of the attributes WebRTC offer/answer reads and writes.</summary>
public static class SdpAttributeNames
{
    public const string Group = "group";
    public const string Mid = "mid";
    public const string BundleOnly = "bundle-only";
    public const string IceLite = "ice-lite";
    public const string IceUfrag = "ice-ufrag";
    public const string IcePwd = "ice-pwd";
    public const string IceOptions = "ice-options";
    public const string Candidate = "candidate";
    public const string EndOfCandidates = "end-of-candidates";
    public const string Fingerprint = "fingerprint";
    public const string Setup = "setup";
    public const string RtcpMux = "rtcp-mux";
    public const string RtpMap = "rtpmap";
    public const string Fmtp = "fmtp";
    public const string RtcpFeedback = "rtcp-fb";
    public const string ExtensionMap = "extmap";
    public const string Ssrc = "ssrc";
    public const string SsrcGroup = "ssrc-group";
    public const string Msid = "msid";
    public const string SendRecv = "sendrecv";
    public const string SendOnly = "sendonly";
    public const string RecvOnly = "recvonly";
    public const string Inactive = "inactive";
}
