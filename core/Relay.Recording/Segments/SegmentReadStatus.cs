namespace Relay.Recording.Segments;

/// <summary>What reading a segment file found.</summary>
public enum SegmentReadStatus
{
    /// <summary>Whole: header, records, and the close record at the very end.</summary>
    Closed = 0,

    /// <summary>Whole records and no close record: the writer stopped between records.</summary>
    Unclosed = 1,

    /// <summary>Whole records, then a record cut short: the writer stopped mid-record.</summary>
    TornTail = 2,

    /// <summary>Whole records, then bytes that are no record (unknown kind or track, a close record in the middle).</summary>
    Malformed = 3,

    /// <summary>No usable header: not a segment, another format version, or cut short within the header.</summary>
    BadHeader = 4,
}
