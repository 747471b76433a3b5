using System.Globalization;
using System.Text;
using Relay.Recording.Export;
using Relay.Recording.Location;
using Relay.Recording.Manifests;

namespace Relay.Recording.Bundles;

/// <summary>README.txt: what each file of the bundle is, and how a recipient checks it, in plain words.</summary>
internal sealed class BundleReadme
{
    private readonly StringBuilder _items = new();
    private readonly EvidenceBundle _bundle;
    private readonly string _publicKey;
    private long? _previousEnd;

    public BundleReadme(EvidenceBundle bundle, string publicKey)
    {
        _bundle = bundle;
        _publicKey = publicKey;
    }

    public void BeginItem(BundleItem item, string folder)
    {
        _previousEnd = null;
        _items.Append('\n').Append(folder).Append("  evidence item ").Append(item.Id).Append(": ").Append(item.Title).Append('\n');
    }

    public void Document(string path, string description) =>
        _items.Append("  ").Append(path).Append("\n      ").Append(description).Append('\n');

    public void Recording(string folder, RecordingManifest manifest, string? playable, ExportReport? report, bool gpx, bool trail, int missingSegments)
    {
        _items.Append("  ").Append(folder).Append("  recording ").Append(manifest.RecordingId.ToString("D"))
            .Append(", ").Append(ManifestJson.FormatTime(manifest.StartMicroseconds)).Append(" to ")
            .Append(manifest.EndMicroseconds is long end ? ManifestJson.FormatTime(end) : "(not ended)").Append(" UTC\n");

        // An item's next recording begins when a caller's new connection reaches a node with no stream
        // for it: on another node, or on the same one after the stream had ended.
        if (_previousEnd is long previousEnd && manifest.StartMicroseconds > previousEnd)
        {
            _items.Append("      before it, nothing was recorded from ").Append(ManifestJson.FormatTime(previousEnd)).Append(" to ")
                .Append(ManifestJson.FormatTime(manifest.StartMicroseconds)).Append(" (")
                .Append(((manifest.StartMicroseconds - previousEnd) / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture))
                .Append(" s): the caller's connection ended and a new one began, on another node of the relay or after\n")
                .Append("      the stream had ended (item.json names the node that made each recording)\n");
        }

        _previousEnd = manifest.EndMicroseconds ?? _previousEnd;
        _items.Append("      manifest.json     the recording's manifest, signed by the relay when the recording ended: its tracks,\n")
            .Append("                        its segments with their SHA-256 and hash chain, and its gaps\n");
        _items.Append("      ").Append(manifest.Segments.Count.ToString(CultureInfo.InvariantCulture))
            .Append(" segment file(s) (*.rseg): the packets as received (decrypted RTP with arrival times): the original evidence");
        if (missingSegments > 0)
        {
            _items.Append("; ").Append(missingSegments.ToString(CultureInfo.InvariantCulture)).Append(" listed in the manifest are NOT held (see the notes)");
        }

        _items.Append('\n');
        foreach (RecordingGap gap in manifest.Gaps)
        {
            _items.Append("      gap ").Append(ManifestJson.FormatTime(gap.FromMicroseconds)).Append(" to ").Append(ManifestJson.FormatTime(gap.ToMicroseconds))
                .Append(gap.Reason == RecordingGapReason.PublisherReconnect ? ": the caller's connection dropped and came back\n" : ": storage did not keep up; packets were lost\n");
        }

        if (trail)
        {
            _items.Append("      ").Append(LocationTrailFile.Name).Append("    the caller's location fixes, one JSON object per line; its SHA-256 is in the manifest\n");
        }

        if (gpx)
        {
            _items.Append("      ").Append(BundleNames.Gpx).Append("      the same trail as GPX 1.1, for mapping software (accuracy in metres as relay:accuracy)\n");
        }

        if (playable is not null && report is not null)
        {
            _items.Append("      ").Append(playable).Append("    the recording as a playable file, made from the segments without re-encoding; plays ")
                .Append(report.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s (gaps kept as time)\n");
            foreach (ExportedTrack track in report.Tracks)
            {
                _items.Append("        track ").Append(track.TrackIndex.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(track.Codec.ToString())
                    .Append(track.Included
                        ? string.Create(CultureInfo.InvariantCulture, $": {track.Frames} frames{(track.Width > 0 ? $", {track.Width}x{track.Height}" : "")}")
                        : ": not in the playable file: " + track.Reason)
                    .Append('\n');
            }
        }
    }

    public byte[] ToBytes(IReadOnlyList<string> notes)
    {
        var text = new StringBuilder();
        text.Append("RELAY EVIDENCE BUNDLE\n=====================\n\n")
            .Append(_bundle.Purpose == EvidenceBundle.SubjectAccessPurpose
                ? "Everything the relay holds for one telephone number (a subject access request).\n"
                : "An evidence export from the relay.\n")
            .Append("Made ").Append(_bundle.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC by ").Append(_bundle.CreatedBy);
        if (_bundle.Recipient is not null)
        {
            text.Append(" for ").Append(_bundle.Recipient);
        }

        text.Append(".\n\nWHAT IS IN IT\n-------------\n\n")
            .Append("README.txt    this file\n")
            .Append("bundle.json   the list of every other file with its size and SHA-256, signed with the relay's evidence key\n")
            .Append(_items);
        if (_bundle.Items.Count == 0)
        {
            text.Append("\n(nothing is held)\n");
        }

        if (notes.Count > 0)
        {
            text.Append("\nNOTES: WHAT IS NOT INCLUDED\n---------------------------\n\n");
            foreach (string note in notes)
            {
                text.Append("- ").Append(note).Append('\n');
            }
        }

        text.Append("\nHOW TO CHECK IT\n---------------\n\n")
            .Append("With Relay:   Relay.Server verify THIS.zip   (or ./relay.sh verify THIS.zip)\n")
            .Append("It works offline and prints every file that fails and why; exit code 0 means intact, 1 not.\n")
            .Append("It checks: the signature on bundle.json; every file's size and SHA-256 against bundle.json;\n")
            .Append("that no file is missing or added; each manifest's signature; each segment's SHA-256 and the\n")
            .Append("hash chain against its manifest (h0 = 32 zero bytes, h_i = SHA-256(h_(i-1) || SHA-256(segment i)));\n")
            .Append("and each location trail's SHA-256 against its manifest.\n\n")
            .Append("By hand:      sha256sum each file and compare with bundle.json. The signature (ES256: ECDSA P-256\n")
            .Append("over SHA-256, 64 bytes r||s, base64) covers the bytes of the value of \"bundle\" in bundle.json exactly\n")
            .Append("as they appear in the file; manifest.json is signed the same way over its \"manifest\" value.\n\n")
            .Append("The relay's evidence public key (SubjectPublicKeyInfo DER, base64). Check it against the key the\n")
            .Append("force publishes for this relay; a bundle signed by any other key is not the relay's:\n\n")
            .Append(_publicKey).Append("\n\nAs PEM:\n\n-----BEGIN PUBLIC KEY-----\n");
        for (int i = 0; i < _publicKey.Length; i += 64)
        {
            text.Append(_publicKey.AsSpan(i, Math.Min(64, _publicKey.Length - i))).Append('\n');
        }

        text.Append("-----END PUBLIC KEY-----\n\n")
            .Append("Times are UTC from the relay's clock. The playable files are made from the segments by Relay's own\n")
            .Append("depacketizer and muxer without re-encoding; the segments are the original evidence.\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
