using System.Diagnostics.CodeAnalysis;

namespace Relay.Control.Sdp;

/// <summary>
/// Parses an SDP session description (RFC 8866 section 5). Tolerant of CRLF or LF line ends and of
/// empty lines after the last line; strict about everything else, with limits on size and counts
/// so that hostile input cannot make it allocate much.
/// </summary>
/// <remarks>
/// <code>
/// v=0                                   protocol version, first line
/// o=&lt;user&gt; &lt;sess-id&gt; &lt;sess-version&gt; IN IP4 &lt;addr&gt;
/// s=&lt;session name&gt;
/// i=* u=* e=* p=* c=* b=*               optional, in this order
/// t=&lt;start&gt; &lt;stop&gt;                   one or more, each followed by r=*
/// z=* k=*                               (k= is obsolete: accepted and dropped)
/// a=&lt;name&gt;[:&lt;value&gt;]*                 session attributes
/// m=&lt;media&gt; &lt;port&gt;[/&lt;n&gt;] &lt;proto&gt; &lt;fmt&gt; ...   zero or more media sections, each:
///   i=* c=* b=* k=*                     optional, in this order
///   a=&lt;name&gt;[:&lt;value&gt;]*               media attributes
/// </code>
/// Every line is one lowercase type letter, '=', and a value without control characters.
/// </remarks>
public static class SdpParser
{
    /// <summary>Longest accepted description in characters. Browser offers are 3 to 8 KB.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Longest accepted line in characters.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Most lines accepted in one description.</summary>
    public const int MaxLines = 4096;

    /// <summary>Most m= sections accepted in one description.</summary>
    public const int MaxMediaDescriptions = 64;

    /// <summary>Most formats on one m= line (RTP has 128 payload types).</summary>
    public const int MaxFormats = 128;

    /// <summary>
    /// Parses <paramref name="text"/>. On failure <paramref name="error"/> says which line is wrong and why;
    /// it never throws for bad input.
    /// </summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out SessionDescription? description,
        [NotNullWhen(false)] out string? error)
    {
        description = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "The SDP is empty.";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"The SDP is {text.Length} characters long; the limit is {MaxLength}.";
            return false;
        }

        var state = new ParseState();
        int position = 0;
        int lineNumber = 0;
        while (position < text.Length)
        {
            int newline = text.IndexOf('\n', position);
            int end = newline < 0 ? text.Length : newline;
            int next = newline < 0 ? text.Length : newline + 1;
            int contentEnd = end > position && text[end - 1] == '\r' ? end - 1 : end;
            ReadOnlySpan<char> line = text.AsSpan(position, contentEnd - position);
            position = next;
            lineNumber++;

            if (line.IsEmpty)
            {
                if (text.AsSpan(position).TrimStart("\r\n").IsEmpty)
                {
                    break;
                }

                error = Fail(lineNumber, "the line is empty");
                return false;
            }

            if (lineNumber > MaxLines)
            {
                error = $"The SDP has more than {MaxLines} lines.";
                return false;
            }

            if (line.Length > MaxLineLength)
            {
                error = Fail(lineNumber, $"the line is longer than {MaxLineLength} characters");
                return false;
            }

            if (line.Length < 2 || line[1] != '=' || line[0] is < 'a' or > 'z')
            {
                error = Fail(lineNumber, "the line is not of the form <type>=<value>");
                return false;
            }

            ReadOnlySpan<char> value = line[2..];
            if (!SdpSyntax.IsText(value))
            {
                error = Fail(lineNumber, "the line contains a control character");
                return false;
            }

            string? problem = lineNumber switch
            {
                1 when line[0] != 'v' => "the first line must be v=0",
                2 when line[0] != 'o' => "the second line must be o=",
                3 when line[0] != 's' => "the third line must be s=",
                _ => state.Accept(line[0], value),
            };
            if (problem is not null)
            {
                error = Fail(lineNumber, problem);
                return false;
            }
        }

        return state.TryFinish(out description, out error);
    }

    private static string Fail(int lineNumber, string problem) => $"SDP line {lineNumber}: {problem}.";

    /// <summary>The description built so far and where in the grammar the parser stands.</summary>
    private sealed class ParseState
    {
        private const int SessionAttributeRank = 12;

        private readonly List<string> _emails = [];
        private readonly List<string> _phones = [];
        private readonly List<SdpBandwidth> _bandwidths = [];
        private readonly List<SdpTiming> _timings = [];
        private readonly List<string> _repeats = [];
        private readonly List<SdpAttributeLine> _attributes = [];
        private readonly List<MediaDescription> _media = [];
        private SdpOrigin? _origin;
        private string? _sessionName;
        private string? _information;
        private string? _uri;
        private SdpConnection? _connection;
        private string? _timeZones;
        private int _sessionRank = -1;
        private uint _seenOnce;
        private MediaState? _current;

        public string? Accept(char type, ReadOnlySpan<char> value)
        {
            if (_current is not null)
            {
                return type == 'm' ? StartMedia(value) : _current.Accept(type, value);
            }

            if (type == 'm')
            {
                return StartMedia(value);
            }

            int rank = type switch
            {
                'v' => 0,
                'o' => 1,
                's' => 2,
                'i' => 3,
                'u' => 4,
                'e' => 5,
                'p' => 6,
                'c' => 7,
                'b' => 8,
                't' or 'r' => 9,
                'z' => 10,
                'k' => 11,
                'a' => SessionAttributeRank,
                _ => -1,
            };
            if (rank < 0)
            {
                return $"'{type}=' is not an SDP line type";
            }

            if (rank < _sessionRank)
            {
                return $"'{type}=' is out of order (RFC 8866 section 5 fixes the order of lines)";
            }

            if (type is 'v' or 'o' or 's' or 'i' or 'u' or 'c' or 'z' or 'k')
            {
                uint bit = 1u << (type - 'a');
                if ((_seenOnce & bit) != 0)
                {
                    return $"a second '{type}=' line";
                }

                _seenOnce |= bit;
            }

            _sessionRank = rank;
            switch (type)
            {
                case 'v':
                    return value.SequenceEqual("0") ? null : "the version must be v=0";
                case 'o':
                    return ParseOrigin(value);
                case 's':
                    _sessionName = value.ToString();
                    return null;
                case 'i':
                    _information = value.ToString();
                    return null;
                case 'u':
                    return TakeText(value, "u=", out _uri);
                case 'e':
                    return AddText(value, "e=", _emails);
                case 'p':
                    return AddText(value, "p=", _phones);
                case 'c':
                    return ParseConnection(value, out _connection);
                case 'b':
                    return AddBandwidth(value, _bandwidths);
                case 't':
                    return ParseTiming(value);
                case 'r':
                    if (_timings.Count == 0)
                    {
                        return "'r=' comes before any 't='";
                    }

                    return AddText(value, "r=", _repeats);
                case 'z':
                    return TakeText(value, "z=", out _timeZones);
                case 'k':
                    return null;
                default:
                    return AddAttribute(value, _attributes);
            }
        }

        public bool TryFinish([NotNullWhen(true)] out SessionDescription? description, [NotNullWhen(false)] out string? error)
        {
            description = null;
            if (_origin is null || _sessionName is null)
            {
                error = "The SDP ends before its v=, o= and s= lines are complete.";
                return false;
            }

            if (_timings.Count == 0)
            {
                error = "The SDP has no t= line.";
                return false;
            }

            CloseTiming();
            if (_current is not null)
            {
                _media.Add(_current.Build());
            }

            description = new SessionDescription
            {
                Origin = _origin,
                SessionName = _sessionName,
                Information = _information,
                Uri = _uri,
                EmailAddresses = _emails,
                PhoneNumbers = _phones,
                Connection = _connection,
                Bandwidths = _bandwidths,
                Timings = _timings,
                TimeZoneAdjustments = _timeZones,
                Attributes = _attributes,
                MediaDescriptions = _media,
            };
            error = null;
            return true;
        }

        private string? StartMedia(ReadOnlySpan<char> value)
        {
            if (_origin is null || _sessionName is null)
            {
                return "'m=' comes before the v=, o= and s= lines";
            }

            if (_timings.Count == 0)
            {
                return "'m=' comes before any 't=' line";
            }

            if (_current is not null)
            {
                _media.Add(_current.Build());
                _current = null;
            }
            else
            {
                CloseTiming();
            }

            if (_media.Count >= MaxMediaDescriptions)
            {
                return $"more than {MaxMediaDescriptions} media sections";
            }

            string? problem = MediaState.TryStart(value, out MediaState? media);
            _current = media;
            return problem;
        }

        private string? ParseOrigin(ReadOnlySpan<char> value)
        {
            ReadOnlySpan<char> rest = value;
            if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> username)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> sessionId)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> sessionVersion)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> networkType)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> addressType)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> address)
                || !rest.IsEmpty)
            {
                return "o= needs six fields separated by single spaces";
            }

            if (!SdpSyntax.IsVisibleAscii(username)
                || !IsLongDigits(sessionId)
                || !IsLongDigits(sessionVersion)
                || !SdpSyntax.IsToken(networkType)
                || !SdpSyntax.IsToken(addressType)
                || !SdpSyntax.IsVisibleAscii(address))
            {
                return "o= has a field that is not valid (session id and version must be digits)";
            }

            _origin = new SdpOrigin(
                username.ToString(),
                sessionId.ToString(),
                sessionVersion.ToString(),
                networkType.ToString(),
                addressType.ToString(),
                address.ToString());
            return null;
        }

        private static bool IsLongDigits(ReadOnlySpan<char> value)
        {
            if (value.IsEmpty || value.Length > 64)
            {
                return false;
            }

            foreach (char c in value)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private string? ParseTiming(ReadOnlySpan<char> value)
        {
            ReadOnlySpan<char> rest = value;
            if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> start)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> stop)
                || !rest.IsEmpty
                || !SdpSyntax.TryParseDigits(start, 19, out ulong startTime)
                || !SdpSyntax.TryParseDigits(stop, 19, out ulong stopTime))
            {
                return "t= needs a start and a stop time in digits";
            }

            CloseTiming();
            _timings.Add(new SdpTiming(startTime, stopTime));
            return null;
        }

        /// <summary>Moves the r= lines read so far onto the t= line they follow.</summary>
        private void CloseTiming()
        {
            if (_repeats.Count > 0 && _timings.Count > 0)
            {
                _timings[^1] = _timings[^1] with { RepeatTimes = [.. _repeats] };
                _repeats.Clear();
            }
        }

        internal static string? ParseConnection(ReadOnlySpan<char> value, out SdpConnection? connection)
        {
            connection = null;
            ReadOnlySpan<char> rest = value;
            if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> networkType)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> addressType)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> address)
                || !rest.IsEmpty
                || !SdpSyntax.IsToken(networkType)
                || !SdpSyntax.IsToken(addressType)
                || !SdpSyntax.IsVisibleAscii(address))
            {
                return "c= needs <nettype> <addrtype> <address>";
            }

            connection = new SdpConnection(networkType.ToString(), addressType.ToString(), address.ToString());
            return null;
        }

        internal static string? AddBandwidth(ReadOnlySpan<char> value, List<SdpBandwidth> bandwidths)
        {
            int colon = value.IndexOf(':');
            if (colon <= 0
                || !SdpSyntax.IsToken(value[..colon])
                || !SdpSyntax.TryParseDigits(value[(colon + 1)..], 19, out ulong bandwidth))
            {
                return "b= needs <bwtype>:<bandwidth>";
            }

            bandwidths.Add(new SdpBandwidth(value[..colon].ToString(), bandwidth));
            return null;
        }

        internal static string? AddAttribute(ReadOnlySpan<char> value, List<SdpAttributeLine> attributes)
        {
            int colon = value.IndexOf(':');
            ReadOnlySpan<char> name = colon < 0 ? value : value[..colon];
            if (!SdpSyntax.IsToken(name))
            {
                return "the attribute name is not a token";
            }

            attributes.Add(new SdpAttributeLine(name.ToString(), colon < 0 ? null : value[(colon + 1)..].ToString()));
            return null;
        }

        internal static string? AddText(ReadOnlySpan<char> value, string type, List<string> list)
        {
            if (value.IsEmpty)
            {
                return $"'{type}' is empty";
            }

            list.Add(value.ToString());
            return null;
        }

        private static string? TakeText(ReadOnlySpan<char> value, string type, out string? text)
        {
            text = null;
            if (value.IsEmpty)
            {
                return $"'{type}' is empty";
            }

            text = value.ToString();
            return null;
        }
    }

    /// <summary>One media section being read.</summary>
    private sealed class MediaState
    {
        private readonly List<SdpConnection> _connections = [];
        private readonly List<SdpBandwidth> _bandwidths = [];
        private readonly List<SdpAttributeLine> _attributes = [];
        private readonly string _mediaType;
        private readonly int _port;
        private readonly int? _portCount;
        private readonly string _protocol;
        private readonly List<string> _formats;
        private string? _information;
        private int _rank;
        private bool _seenInformation;
        private bool _seenKey;

        private MediaState(string mediaType, int port, int? portCount, string protocol, List<string> formats)
        {
            _mediaType = mediaType;
            _port = port;
            _portCount = portCount;
            _protocol = protocol;
            _formats = formats;
        }

        public static string? TryStart(ReadOnlySpan<char> value, out MediaState? media)
        {
            media = null;
            ReadOnlySpan<char> rest = value;
            if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> mediaType)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> portField)
                || !SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> protocol)
                || rest.IsEmpty)
            {
                return "m= needs <media> <port> <proto> and at least one format";
            }

            if (!SdpSyntax.IsToken(mediaType))
            {
                return "the m= media type is not a token";
            }

            int? portCount = null;
            int slash = portField.IndexOf('/');
            ReadOnlySpan<char> portDigits = slash < 0 ? portField : portField[..slash];
            if (!SdpSyntax.TryParseInt(portDigits, 0, 65535, out int port))
            {
                return "the m= port is not a number from 0 to 65535";
            }

            if (slash >= 0)
            {
                if (!SdpSyntax.TryParseInt(portField[(slash + 1)..], 1, 65535, out int count))
                {
                    return "the m= number of ports is not valid";
                }

                portCount = count;
            }

            if (!IsProtocol(protocol))
            {
                return "the m= protocol is not valid";
            }

            var formats = new List<string>();
            while (!rest.IsEmpty)
            {
                if (!SdpSyntax.TryTakeField(ref rest, out ReadOnlySpan<char> format) || !SdpSyntax.IsToken(format))
                {
                    return "an m= format is empty or not a token";
                }

                if (formats.Count == MaxFormats)
                {
                    return $"the m= line has more than {MaxFormats} formats";
                }

                formats.Add(format.ToString());
            }

            media = new MediaState(mediaType.ToString(), port, portCount, protocol.ToString(), formats);
            return null;
        }

        public string? Accept(char type, ReadOnlySpan<char> value)
        {
            int rank = type switch
            {
                'i' => 1,
                'c' => 2,
                'b' => 3,
                'k' => 4,
                'a' => 5,
                _ => -1,
            };
            if (rank < 0)
            {
                return $"'{type}=' is not allowed in a media section";
            }

            if (rank < _rank)
            {
                return $"'{type}=' is out of order in the media section (RFC 8866 section 5 fixes the order of lines)";
            }

            _rank = rank;
            switch (type)
            {
                case 'i':
                    if (_seenInformation)
                    {
                        return "a second 'i=' line in the media section";
                    }

                    _seenInformation = true;
                    _information = value.ToString();
                    return null;
                case 'c':
                    string? problem = ParseState.ParseConnection(value, out SdpConnection? connection);
                    if (connection is not null)
                    {
                        _connections.Add(connection);
                    }

                    return problem;
                case 'b':
                    return ParseState.AddBandwidth(value, _bandwidths);
                case 'k':
                    if (_seenKey)
                    {
                        return "a second 'k=' line in the media section";
                    }

                    _seenKey = true;
                    return null;
                default:
                    return ParseState.AddAttribute(value, _attributes);
            }
        }

        public MediaDescription Build() => new()
        {
            MediaType = _mediaType,
            Port = _port,
            PortCount = _portCount,
            Protocol = _protocol,
            Formats = _formats,
            Information = _information,
            Connections = _connections,
            Bandwidths = _bandwidths,
            Attributes = _attributes,
        };

        /// <summary>proto = token *("/" token), e.g. UDP/TLS/RTP/SAVPF.</summary>
        private static bool IsProtocol(ReadOnlySpan<char> value)
        {
            foreach (Range part in value.Split('/'))
            {
                if (!SdpSyntax.IsToken(value[part]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
