using Amazon.Runtime;

namespace Relay.Plugins.Evidence.S3;

/// <summary>
/// Makes the SDK send through the <see cref="HttpClient"/> the host gives the plugin (its handler,
/// proxy and time-outs; in tests, a handler that records requests) instead of creating its own.
/// </summary>
internal sealed class SuppliedHttpClientFactory(HttpClient http) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => http;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => "relay-supplied";
}
