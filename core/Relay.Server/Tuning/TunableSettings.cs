using System.Globalization;
using Relay.Control.Sms;
using Relay.Server.Media;
using Relay.Server.Recording;
using Relay.Server.Sessions;

namespace Relay.Server.Tuning;

/// <summary>
/// The settings the Tuning page and <c>/api/tuning</c> may change, in the page's order. Each says what
/// a change reaches: what is already running, or only what starts next (the consumers read
/// <c>IOptionsMonitor&lt;T&gt;.CurrentValue</c> at that point).
/// </summary>
internal static class TunableSettings
{
    private const string NewStreams = "Streams started after the change (a publisher's next connection); streams already live keep the value they started with.";
    private const string Media = "Media";
    private const string SmsLimits = "SMS limits";
    private const string EverySms = "The next SMS sent, at once: counts already made in the window are kept.";

    public static IReadOnlyList<TunableSetting> All { get; } =
    [
        TunableSetting.For<MediaNodeOptions>(MediaNodeOptions.SectionName, nameof(MediaNodeOptions.MaxPublisherVideoBitrate), TunableSettingKind.WholeNumber, static o => Number(o.MaxPublisherVideoBitrate)) with
        {
            Name = "Caller video bitrate cap (bit/s)",
            Group = Media,
            Description = "The most a caller's phone (or other publisher) may send on video, in bits a second, told in its WHIP answer; 0 leaves it to the phone. Lower keeps a picture on poor mobile links and saves the caller's data.",
            AppliesTo = "Publishers connecting after the change (a caller's next connection); a phone already sending keeps the cap it was given.",
        },
        TunableSetting.For<MediaNodeOptions>(MediaNodeOptions.SectionName, nameof(MediaNodeOptions.MaxRetransmissionBytesPerSecond), TunableSettingKind.WholeNumber, static o => Number(o.MaxRetransmissionBytesPerSecond)) with
        {
            Name = "Retransmission bitrate cap per viewer (bytes/s)",
            Group = Media,
            Description = "The most the relay resends to one viewer in answer to its NACKs, in bytes a second (250000 is 2 Mbit/s), so one viewer on a lossy link cannot make the relay resend without bound.",
            AppliesTo = NewStreams,
        },
        TunableSetting.For<MediaNodeOptions>(MediaNodeOptions.SectionName, nameof(MediaNodeOptions.PacketCacheCapacity), TunableSettingKind.WholeNumber, static o => Number(o.PacketCacheCapacity)) with
        {
            Name = "NACK cache size (packets per video track)",
            Group = Media,
            Description = "RTP packets kept per video track to resend when a viewer reports a loss. More covers longer round trips, at more memory per stream.",
            AppliesTo = NewStreams,
        },
        TunableSetting.For<MediaNodeOptions>(MediaNodeOptions.SectionName, nameof(MediaNodeOptions.KeyframeRequestInterval), TunableSettingKind.Duration, static o => Duration(o.KeyframeRequestInterval)) with
        {
            Name = "Keyframe request interval",
            Group = Media,
            Description = "The least time between two keyframe requests to a caller's phone; viewers' requests in between are joined into one. Shorter recovers pictures faster, at more bitrate from the phone.",
            AppliesTo = NewStreams,
        },
        TunableSetting.For<MediaNodeOptions>(MediaNodeOptions.SectionName, nameof(MediaNodeOptions.PublisherGracePeriod), TunableSettingKind.Duration, static o => Duration(o.PublisherGracePeriod)) with
        {
            Name = "Publisher reconnect grace period",
            Group = Media,
            Description = "How long a stream whose caller's connection dropped waits for it to come back before its viewers are ended.",
            AppliesTo = NewStreams,
        },
        TunableSetting.For<RecordingOptions>(RecordingOptions.SectionName, nameof(RecordingOptions.SegmentDuration), TunableSettingKind.Duration, static o => Duration(o.SegmentDuration)) with
        {
            Name = "Recording segment length",
            Group = "Recording",
            Description = "A recording's segment file is closed (hashed into the chain) and the next opened once it spans this long. Shorter loses less on a crash, at more files.",
            AppliesTo = "Recordings started after the change; a recording already open keeps its segment length until its stream ends.",
        },
        TunableSetting.For<CallSessionOptions>(CallSessionOptions.SectionName, nameof(CallSessionOptions.CallerTokenLifetime), TunableSettingKind.Duration, static o => Duration(o.CallerTokenLifetime)) with
        {
            Name = "Caller link lifetime",
            Group = "Caller links",
            Description = "How long a caller's SMS link works before it has been used.",
            AppliesTo = "Links of sessions created after the change; links already sent keep the expiry they were given.",
        },
        .. SendingLimit(nameof(SmsLimitOptions.PerOfficer), static o => o.PerOfficer, "per officer", "per-officer", "How many links one officer (a person or an API key) may send in the per-officer window."),
        .. SendingLimit(nameof(SmsLimitOptions.PerNumber), static o => o.PerNumber, "per destination number", "per-number", "How many links one phone number may be sent, by anyone, in the per-number window."),
        .. SendingLimit(nameof(SmsLimitOptions.PerCountry), static o => o.PerCountry, "per country code", "per-country", "How many links may go to numbers under one country code, across all officers, in the per-country window."),
        TunableSetting.For<SmsLimitOptions>(SmsLimitOptions.SectionName, nameof(SmsLimitOptions.AllowedCountryCodes), TunableSettingKind.CountryCodes, static o => string.Join(", ", o.EffectiveCountryCodes.Distinct(StringComparer.Ordinal))) with
        {
            Name = "Countries links may be sent to",
            Group = SmsLimits,
            Description = "Country calling codes a caller's number may have; a link to any other is refused (toll fraud).",
            AppliesTo = EverySms,
        },
    ];

    /// <summary>The setting with <paramref name="key"/> (any letter case, as configuration keys are); null if none.</summary>
    public static TunableSetting? Find(string key)
    {
        foreach (TunableSetting setting in All)
        {
            if (string.Equals(setting.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return setting;
            }
        }

        return null;
    }

    // A sending limit is two settings: how many, and over what sliding window.
    private static TunableSetting[] SendingLimit(string property, Func<SmsLimitOptions, SmsLimit> limit, string per, string counted, string countMeans) =>
    [
        TunableSetting.For<SmsLimitOptions>(SmsLimitOptions.SectionName, property + ":Count", TunableSettingKind.WholeNumber, o => Number(limit(o).Count)) with
        {
            Name = "SMS " + per + ": count",
            Group = SmsLimits,
            Description = countMeans,
            AppliesTo = EverySms,
        },
        TunableSetting.For<SmsLimitOptions>(SmsLimitOptions.SectionName, property + ":Window", TunableSettingKind.Duration, o => Duration(limit(o).Window)) with
        {
            Name = "SMS " + per + ": window",
            Group = SmsLimits,
            Description = "The sliding window the " + counted + " count is counted over.",
            AppliesTo = EverySms,
        },
    ];

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>[d.]hh:mm:ss[.f...], without the seven-digit fraction's trailing zeros ("00:00:00.5", not "00:00:00.5000000").</summary>
    public static string Duration(TimeSpan value)
    {
        string text = value.ToString("c", CultureInfo.InvariantCulture);
        int fraction = text.LastIndexOf('.');
        return fraction > text.LastIndexOf(':') ? text.TrimEnd('0') : text;
    }
}
