namespace Relay.Testing.Recording.Packetization;

/// <summary>An encoded frame of a test clip: the bytes as the codec made them and its time in the clip.</summary>
public sealed record EncodedFrame(byte[] Data, double Seconds, bool IsKeyframe);
