using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Relay.Server.Media;

namespace Relay.Server.Tests;

public sealed class HealthzTests
{
    [Fact]
    public async Task Healthz_AnswersOkWithoutCredentialsWhileTheMediaPortIsUp()
    {
        await using TestRelay relay = await TestRelay.StartAsync();

        HttpResponseMessage response = await relay.Http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_Answers503ProblemOnceTheMediaPortIsDown()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        await relay.Services.GetRequiredService<MediaNode>().StopAsync(CancellationToken.None);

        HttpResponseMessage response = await relay.Http.GetAsync(new Uri("/healthz", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "media port");
    }
}
