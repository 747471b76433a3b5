using System.Globalization;
using System.Text;
using Relay.Control.Sessions;

namespace Relay.Server.Sessions;

/// <summary>
/// The plain pages a caller sees when their link cannot be used, in English and Welsh: what
/// happened and what to do. No script, no media: nothing on them can share anything.
/// </summary>
internal static class CallerPages
{
    public static int StatusCode(CallerLinkStatus status) => status switch
    {
        CallerLinkStatus.Unknown => StatusCodes.Status404NotFound,
        CallerLinkStatus.Limited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status410Gone,
    };

    public static string Html(CallerLinkStatus status, TimeSpan retryAfter)
    {
        int minutes = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes));
        (string enTitle, string en, string cyTitle, string cy) = status switch
        {
            CallerLinkStatus.Expired => (
                "This link has expired",
                "Links work for a short time only. If you still want to share with the police, ask the officer or call handler to send you a new link.",
                "Mae'r ddolen hon wedi dod i ben",
                "Dim ond am gyfnod byr y mae dolenni'n gweithio. Os ydych chi'n dal eisiau rhannu gyda'r heddlu, gofynnwch i'r swyddog neu'r sawl a atebodd eich galwad anfon dolen newydd atoch."),
            CallerLinkStatus.Spent => (
                "This link has already been used",
                "Each link can be started once, on one phone. If you did not start it, or you need to share again, ask the officer or call handler for a new link.",
                "Mae'r ddolen hon eisoes wedi'i defnyddio",
                "Dim ond unwaith, ar un ffôn, y gellir dechrau pob dolen. Os na wnaethoch chi ei dechrau, neu os oes angen i chi rannu eto, gofynnwch i'r swyddog neu'r sawl a atebodd eich galwad am ddolen newydd."),
            CallerLinkStatus.Ended => (
                "This request has ended",
                "The police have ended this request, so nothing can be shared with this link. If you still need to share, ask for a new link.",
                "Mae'r cais hwn wedi dod i ben",
                "Mae'r heddlu wedi dod â'r cais hwn i ben, felly nid oes modd rhannu dim gyda'r ddolen hon. Os oes angen i chi rannu o hyd, gofynnwch am ddolen newydd."),
            CallerLinkStatus.Limited => (
                "Too many attempts",
                $"There have been too many attempts to open links from this connection. Wait {minutes} minute{(minutes == 1 ? "" : "s")}, then open the link from your text message again.",
                "Gormod o ymdrechion",
                $"Bu gormod o ymdrechion i agor dolenni o'r cysylltiad hwn. Arhoswch {minutes.ToString(CultureInfo.InvariantCulture)} munud, yna agorwch y ddolen yn eich neges destun eto."),
            _ => (
                "This link is not recognised",
                "Check that you opened the whole link from your text message; copying part of it will not work. If it still does not work, ask the officer or call handler for a new link.",
                "Nid yw'r ddolen hon yn cael ei hadnabod",
                "Gwnewch yn siŵr eich bod wedi agor y ddolen gyfan o'ch neges destun; ni fydd copïo rhan ohoni'n gweithio. Os nad yw'n gweithio o hyd, gofynnwch i'r swyddog neu'r sawl a atebodd eich galwad am ddolen newydd."),
        };

        var html = new StringBuilder(2048);
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"robots\" content=\"noindex\">\n")
            .Append("<title>").Append(enTitle).Append(" / ").Append(cyTitle).Append("</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5}")
            .Append("h1{font-size:1.4rem}section+section{border-top:1px solid #999;margin-top:1.5rem}.urgent{font-weight:bold}</style>\n")
            .Append("</head>\n<body>\n<section lang=\"en\">\n<h1>").Append(enTitle).Append("</h1>\n<p>").Append(en).Append("</p>\n")
            .Append("<p class=\"urgent\">If you are in danger now, call 999.</p>\n</section>\n")
            .Append("<section lang=\"cy\">\n<h1>").Append(cyTitle).Append("</h1>\n<p>").Append(cy).Append("</p>\n")
            .Append("<p class=\"urgent\">Os ydych chi mewn perygl nawr, ffoniwch 999.</p>\n</section>\n</body>\n</html>\n");
        return html.ToString();
    }
}
