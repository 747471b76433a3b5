using Relay.Control.Evidence;
using Relay.Portal.Access;

namespace Relay.Portal.Tests.Access;

public sealed class EvidenceFilterTests
{
    [Fact]
    public void BlankFieldsMatchEverything()
    {
        EvidenceSearch search = new EvidenceFilter { Incident = " ", Phone = "", Officer = null }.ToSearch();
        Assert.Null(search.Incident);
        Assert.Null(search.Phone);
        Assert.Null(search.Officer);
        Assert.Null(search.From);
        Assert.Null(search.To);
        Assert.Equal(EvidenceFilter.Limit, search.Limit);
    }

    [Fact]
    public void TheLastDayIsIncludedAndFieldsAreTrimmed()
    {
        EvidenceSearch search = new EvidenceFilter
        {
            Incident = " INC-1 ",
            Phone = "+44 7700 900123",
            From = new DateOnly(2026, 12, 1),
            To = new DateOnly(2026, 12, 1),
        }.ToSearch();
        Assert.Equal("INC-1", search.Incident);
        Assert.Equal("+447700900123", search.Phone);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), search.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), search.To);
    }
}
