using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Relay.Server;

/// <summary>The relay's host. For now it serves liveness only; the relay issue adds WHIP, WHEP and metrics.</summary>
public static partial class Program
{
    public static async Task Main(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
        WebApplication app = builder.Build();

        app.MapGet("/healthz", () => Results.Text("ok\n"));

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ICollection<string> addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (string address in addresses)
            {
                Log.Listening(app.Logger, address);
            }
        });

        await app.RunAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Relay is listening on {Address}")]
        public static partial void Listening(ILogger logger, string address);
    }
}
