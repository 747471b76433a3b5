using Relay.Portal.Node;

namespace Relay.Portal.Tests.Node;

public sealed class NewSessionFormTests
{
    [Fact]
    public void TheRequestIsTrimmed()
    {
        var form = new NewSessionForm { Incident = "  INC-1 ", Phone = " +447700900123 ", Mode = "video", Audio = true, Retention = "group-1" };
        Assert.Equal(new NewSessionRequest("INC-1", "+447700900123", "video", true, "group-1"), form.ToRequest());
    }

    [Fact]
    public void NoRetentionChosenNamesNoneSoTheRelayAppliesItsDefault() =>
        Assert.Null(new NewSessionForm { Incident = "INC-1", Phone = "+447700900123", Retention = " " }.ToRequest().Retention);

    [Fact]
    public void ALocationOnlySessionNeverAsksForSound()
    {
        var form = new NewSessionForm { Incident = "INC-1", Phone = "+447700900123", Mode = "location", Audio = true, Retention = "group-1" };
        Assert.False(form.ToRequest().Audio);
    }

    [Fact]
    public void ClearingKeepsTheChoicesForTheNextSession()
    {
        var form = new NewSessionForm { Incident = "INC-1", Phone = "+447700900123", Mode = "location", Audio = true, Retention = "group-2" };
        form.Clear();
        Assert.Equal(("", "", "location", "group-2"), (form.Incident, form.Phone, form.Mode, form.Retention));
    }
}
