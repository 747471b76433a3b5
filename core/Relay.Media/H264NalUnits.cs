namespace Relay.Media;

/// <summary>The kinds of H.264 NAL unit that begin in one RTP packet (ITU-T H.264 table 7-1).</summary>
[Flags]
public enum H264NalUnits
{
    None = 0,

    /// <summary>A coded slice of a non-IDR picture (type 1).</summary>
    NonIdrSlice = 1,

    /// <summary>A coded slice of an IDR picture (type 5): a decoder can start here.</summary>
    IdrSlice = 2,

    /// <summary>A sequence parameter set (type 7).</summary>
    Sps = 4,

    /// <summary>A picture parameter set (type 8).</summary>
    Pps = 8,
}
