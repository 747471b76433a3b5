using Relay.Control.Chat;

namespace Relay.Control.Tests.Chat;

public sealed class ChatTests
{
    [Fact]
    public void AcceptsOrdinaryTextTrimmed()
    {
        Assert.Null(ChatText.Validate("  I'm by the red door \u2764\ufe0f\n", out string text));
        Assert.Equal("I'm by the red door \u2764\ufe0f", text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n ")]
    [InlineData("bell\u0007")]
    [InlineData("nul\u0000")]
    public void RefusesEmptyControlOrBrokenText(string? value)
    {
        Assert.NotNull(ChatText.Validate(value, out string text));
        Assert.Empty(text);
    }

    // Lone surrogates cannot travel through xunit's theory data, so they are built here.
    [Fact]
    public void RefusesLoneSurrogates()
    {
        Assert.NotNull(ChatText.Validate("lone " + (char)0xD800 + " high", out _));
        Assert.NotNull(ChatText.Validate("lone " + (char)0xDC00 + " low", out _));
        Assert.NotNull(ChatText.Validate("reversed " + (char)0xDC00 + (char)0xD800, out _));
    }

    [Fact]
    public void RefusesTooLongText() =>
        Assert.NotNull(ChatText.Validate(new string('x', ChatText.MaxLength + 1), out _));

    [Fact]
    public void HistoryKeepsTheNewestMessagesPerSession()
    {
        var history = new ChatHistory(capacity: 2);
        DateTimeOffset t = DateTimeOffset.UnixEpoch;
        history.Add("s", new ChatMessage(ChatSender.Caller, null, "1", t));
        history.Add("s", new ChatMessage(ChatSender.Officer, "cad", "2", t));
        history.Add("s", new ChatMessage(ChatSender.Caller, null, "3", t));
        history.Add("other", new ChatMessage(ChatSender.Caller, null, "x", t));

        Assert.Equal(["2", "3"], history.Get("s").Select(m => m.Text));
        Assert.Single(history.Get("other"));
        Assert.Empty(history.Get("none"));
    }
}
