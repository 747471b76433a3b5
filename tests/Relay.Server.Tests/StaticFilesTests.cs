using System.Net;

namespace Relay.Server.Tests;

public sealed class StaticFilesTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    [Fact]
    public async Task UnknownPath_IsA404ProblemWithADetail()
    {
        HttpResponseMessage response = await fixture.Relay.Http.GetAsync(new Uri("/no/such/page.html", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "/no/such/page.html");
    }

    [Fact]
    public async Task WrongMethod_IsA405Problem()
    {
        HttpResponseMessage response = await fixture.Relay.Http.PutAsync(new Uri("/healthz", UriKind.Relative), null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, "PUT");
    }
}
