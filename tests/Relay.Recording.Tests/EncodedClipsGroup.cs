using Relay.Testing.Recording.Packetization;

namespace Relay.Recording.Tests;

/// <summary>The export tests share one set of clips: ffmpeg encodes each once per run.</summary>
[CollectionDefinition(Name)]
public sealed class EncodedClipsGroup : ICollectionFixture<EncodedClips>
{
    public const string Name = "Encoded clips";
}
