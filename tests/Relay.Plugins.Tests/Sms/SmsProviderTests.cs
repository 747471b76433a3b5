using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Relay.Plugins.Abstractions.Sms;
using Relay.Plugins.Tests.Support;

namespace Relay.Plugins.Tests.Sms;

/// <summary>
/// A real SMS provider plugin, loaded as the host loads it, talking to a loopback server that stands in
/// for the provider's API. A provider's test class says how it is configured and what its API answers
/// to a good send; this class runs what every provider must do whatever its API: a provider that cannot
/// be reached or does not answer in time is worth trying again, and a success that cannot be read is not
/// (the message may have gone).
/// </summary>
public abstract class SmsProviderTests : IAsyncLifetime
{
    protected static readonly SmsMessage Message = new("+447700900123", "Open https://relay.example/c/abc", "session-42");

    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    protected LocalHttpServer Server { get; private set; } = null!;

    /// <summary>The plugin's name, as the host's configuration names it.</summary>
    protected abstract string Provider { get; }

    /// <summary>The provider's documented answer to a message it accepted.</summary>
    protected abstract CannedResponse Accepted { get; }

    /// <summary>The clock the sender is given (providers that sign tokens with the time use a manual one).</summary>
    protected virtual TimeProvider Time => TimeProvider.System;

    public async Task InitializeAsync() => Server = await LocalHttpServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Send_WhenNothingListens_IsRetryable()
    {
        Dictionary<string, string?> settings = Settings();
        settings["BaseUrl"] = "http://127.0.0.1:1/";

        SmsSendResult result = await BuiltProviders.CreateSender(Provider, settings, s_http, Time).SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.True(result.Retryable);
        Assert.Contains("could not be reached", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WhenTheProviderDoesNotAnswerInTime_IsRetryable()
    {
        Server.Respond = _ => Accepted with { Delay = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        SmsSendResult result = await BuiltProviders.CreateSender(Provider, Settings(), http, Time).SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.True(result.Retryable);
        Assert.Contains("did not answer", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>ok</html>")]
    [InlineData("{\"unexpected\":")]
    public async Task Send_ASuccessThatCannotBeRead_IsNotRetriedBlindly(string body)
    {
        Server.Respond = _ => new CannedResponse(Accepted.Status, body);

        SmsSendResult result = await Sender().SendAsync(Message, default);

        Assert.False(result.Accepted);
        Assert.False(result.Retryable);
        Assert.Contains("cannot tell whether the message went", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The provider's settings for a working sender pointed at <see cref="Server"/>.</summary>
    protected abstract Dictionary<string, string?> Settings();

    /// <summary>A sender with <see cref="Settings"/>, each of <paramref name="overrides"/> replacing (or, when null, blanking) one.</summary>
    protected ISmsSender Sender(Dictionary<string, string?>? overrides = null)
    {
        Dictionary<string, string?> settings = Settings();
        foreach (KeyValuePair<string, string?> pair in overrides ?? [])
        {
            settings[pair.Key] = pair.Value;
        }

        return BuiltProviders.CreateSender(Provider, settings, s_http, Time);
    }

    /// <summary>A sender made from exactly <paramref name="settings"/>, for tests of refused configurations.</summary>
    protected ISmsSender SenderWith(Dictionary<string, string?> settings) => BuiltProviders.CreateSender(Provider, settings, s_http, Time);

    protected static Dictionary<string, string> Form(string body) =>
        QueryHelpers.ParseQuery(body).ToDictionary(static p => p.Key, static p => p.Value.ToString());

    protected static string BasicAuthorization(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
}
