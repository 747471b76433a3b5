using Relay.Plugins.Abstractions.Evidence;

namespace Relay.Plugins.Evidence.Tests.Abstractions;

public sealed class EvidenceObjectKeyTests
{
    public static TheoryData<string> HostileParts() =>
    [
        "",
        " ",
        ".",
        "..",
        "../etc",
        "..\\etc",
        "a/../../b",
        "/etc/passwd",
        "C:\\Windows",
        "a/b",
        "a\\b",
        "a\0b",
        "seg\0.rseg",
        "\0",
        ".hidden",
        ".legal-hold",
        "-rf",
        "name with space",
        "name:stream",
        "caf\u00e9",
        "seg\u2215ment",
        "line\nbreak",
        "tab\tname",
        "%2e%2e",
        "a*b",
        "a?b",
        new string('a', 201),
    ];

    [Theory]
    [MemberData(nameof(HostileParts))]
    public void A_hostile_object_name_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => EvidenceObjectKey.Create("rec-1", name));
        Assert.False(EvidenceObjectKey.TryCreate("rec-1", name, out _));
    }

    [Theory]
    [MemberData(nameof(HostileParts))]
    public void A_hostile_recording_id_is_refused(string recordingId)
    {
        Assert.Throws<ArgumentException>(() => EvidenceObjectKey.Create(recordingId, "manifest.json"));
        Assert.False(EvidenceObjectKey.IsValidRecordingId(recordingId));
    }

    [Fact]
    public void A_recording_id_longer_than_128_characters_is_refused()
    {
        Assert.False(EvidenceObjectKey.IsValidRecordingId(new string('r', 129)));
        Assert.True(EvidenceObjectKey.IsValidRecordingId(new string('r', 128)));
    }

    [Fact]
    public void Null_parts_are_refused_by_TryCreate()
    {
        Assert.False(EvidenceObjectKey.TryCreate(null, "a", out _));
        Assert.False(EvidenceObjectKey.TryCreate("a", null, out _));
    }

    [Theory]
    [InlineData("0f8e2a9c-1b2d-4c5e-8f90-123456789abc", "segment-000001.rseg")]
    [InlineData("R1", "manifest.json")]
    [InlineData("rec_2026.12.01", "location-trail.gpx")]
    public void Ordinary_keys_are_accepted_and_kept_as_given(string recordingId, string name)
    {
        EvidenceObjectKey key = EvidenceObjectKey.Create(recordingId, name);

        Assert.Equal(recordingId, key.RecordingId);
        Assert.Equal(name, key.Name);
        Assert.Equal(recordingId + "/" + name, key.ToString());
    }

    [Fact]
    public void A_deletion_needs_an_actor_and_a_reason()
    {
        Assert.Throws<ArgumentException>(() => new EvidenceDeletion("", "disposal"));
        Assert.Throws<ArgumentException>(() => new EvidenceDeletion("alice", " "));
    }

    [Fact]
    public void A_sha256_must_be_64_hex_digits()
    {
        EvidenceHash.ValidateOptional(null, "h");
        EvidenceHash.ValidateOptional(new string('a', 64), "h");
        Assert.Throws<ArgumentException>(() => EvidenceHash.ValidateOptional(new string('a', 63), "h"));
        Assert.Throws<ArgumentException>(() => EvidenceHash.ValidateOptional(new string('g', 64), "h"));
    }
}
