using Relay.Control.Negotiation;
using Relay.Server.Http;

namespace Relay.Server.Signalling;

/// <summary>Turns a refused offer into a problem: 400 when the body is not SDP, 422 when it is SDP the relay cannot use.</summary>
internal static class OfferProblems
{
    public static IResult From(OfferRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return rejection.Kind == OfferRejectionKind.MalformedSdp
            ? Problems.Create(StatusCodes.Status400BadRequest, "Malformed SDP offer", rejection.Reason)
            : Problems.Create(StatusCodes.Status422UnprocessableEntity, "Unsupported SDP offer", rejection.Reason);
    }
}
