namespace Relay.Server.Recording;

/// <summary>Starts the <see cref="RecordingService"/> with the host (the hosted service registered for it).</summary>
/// <remarks>
/// Registered instead of the service itself: the container disposes whatever a hosted-service factory
/// returns, in the order the hosted services were made (at the host's start, after the stream
/// registry). Registered through a factory, the recording service was disposed, and so waited for
/// its recordings to sign, before the registry had ended their streams: every graceful stop with a
/// live stream timed out, and the key it then disposed failed the late signatures; the recordings
/// were left to the next start's crash recovery (RecordingShutdownTests). This starter is not
/// disposable, so the service is disposed once, in the order it was made: after the registry.
/// </remarks>
internal sealed class RecordingServiceStarter(RecordingService recording) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => recording.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => recording.StopAsync(cancellationToken);
}
