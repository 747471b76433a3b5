namespace Relay.Testing.Recording.Packetization;

/// <summary>ffmpeg or ffprobe is missing, failed, or reported an error: the message says which and what it printed.</summary>
public sealed class FfmpegException : Exception
{
    public FfmpegException()
    {
    }

    public FfmpegException(string message)
        : base(message)
    {
    }

    public FfmpegException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
