using Relay.Control.Sessions;
using Relay.Testing;

namespace Relay.Control.Tests.Sessions;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+447700900123", "44")]
    [InlineData("+12025550123", "1")]
    [InlineData("+353851234567", "353")]
    [InlineData("+74951234567", "7")]
    [InlineData("+2348012345678", "234")]
    [InlineData("+12345678", "1")]
    [InlineData("+441234567890123", "44")]
    public void AcceptsE164NumbersAndFindsTheirCountryCode(string text, string country)
    {
        Assert.True(PhoneNumber.TryParse(text, out PhoneNumber? number));
        Assert.Equal(text, number.Value);
        Assert.Equal(country, number.CountryCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("+4477")]
    [InlineData("+1234567")]
    [InlineData("+4412345678901234")]
    [InlineData("447700900123")]
    [InlineData("07700900123")]
    [InlineData("+0447700900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("+44-7700-900123")]
    [InlineData(" +447700900123")]
    [InlineData("+447700900123 ")]
    [InlineData("+447700900123\n")]
    [InlineData("+44770090\u0000123")]
    [InlineData("+44770090\u200B0123")]
    [InlineData("\uFF0B447700900123")]
    [InlineData("+\u0664\u0664\u0667\u0667\u0660\u0660\u0669\u0660\u0660\u0661\u0662\u0663")]
    [InlineData("+\uFF14\uFF14\uFF17\uFF17\uFF10\uFF10\uFF19\uFF10\uFF10\uFF11\uFF12\uFF13")]
    [InlineData("+2591234567")]
    [InlineData("+8001234")]
    [InlineData("+99912345678")]
    [InlineData("+42212345678")]
    [InlineData("tel:+447700900123")]
    [InlineData("+447700900123;ext=1")]
    public void RefusesAnythingElse(string? text)
    {
        Assert.False(PhoneNumber.TryParse(text, out PhoneNumber? number));
        Assert.Null(number);
    }

    [Fact]
    public void RefusesEveryCorruptionThatIsNotStillPlusAndDigits()
    {
        byte[] valid = "+447700900123"u8.ToArray();
        foreach ((int seed, byte[] input) in HostileInput.Corruptions(valid, seeds: 50, perSeed: 40))
        {
            string text = System.Text.Encoding.Latin1.GetString(input);
            bool shaped = text.Length is >= 9 and <= 16 && text[0] == '+' && !text.AsSpan(1).ContainsAnyExceptInRange('0', '9');
            bool parsed = PhoneNumber.TryParse(text, out PhoneNumber? number);
            Assert.True(!parsed || shaped, $"seed {seed}: '{text}' was accepted");
            if (parsed)
            {
                Assert.Equal(text, number!.Value);
                Assert.StartsWith(number.CountryCode, text[1..], StringComparison.Ordinal);
            }
        }

        foreach (byte[] prefix in HostileInput.Truncations(valid))
        {
            string text = System.Text.Encoding.Latin1.GetString(prefix);
            Assert.Equal(text.Length >= 9, PhoneNumber.TryParse(text, out _));
        }
    }
}
