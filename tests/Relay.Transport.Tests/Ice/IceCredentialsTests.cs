using System.Security.Cryptography;
using Relay.Transport.Ice;

namespace Relay.Transport.Tests.Ice;

public class IceCredentialsTests
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    [Fact]
    public void Generate_MakesAnEightCharacterUfragAndATwentyFourCharacterPasswordOfIceChars()
    {
        using var random = RandomNumberGenerator.Create();

        IceCredentials credentials = IceCredentials.Generate(random);

        Assert.Equal(8, credentials.Ufrag.Length);
        Assert.Equal(24, credentials.Password.Length);
        Assert.All(credentials.Ufrag + credentials.Password, c => Assert.Contains(c, IceChars));
        Assert.Equal(credentials.Ufrag, System.Text.Encoding.ASCII.GetString(credentials.UfragBytes));
        Assert.Equal(credentials.Password, System.Text.Encoding.ASCII.GetString(credentials.PasswordBytes));

        // RFC 8445 section 5.3: at least 24 bits in the ufrag and 128 in the password; 6 bits a character.
        Assert.True(credentials.Ufrag.Length * 6 >= 24);
        Assert.True(credentials.Password.Length * 6 >= 128);
    }

    [Fact]
    public void Generate_TakesEveryBitFromTheInjectedSource()
    {
        IceCredentials first = IceCredentials.Generate(new SeededRandomNumberGenerator(7));
        IceCredentials again = IceCredentials.Generate(new SeededRandomNumberGenerator(7));
        IceCredentials other = IceCredentials.Generate(new SeededRandomNumberGenerator(8));

        Assert.Equal(first.Ufrag, again.Ufrag);
        Assert.Equal(first.Password, again.Password);
        Assert.NotEqual(first.Ufrag, other.Ufrag);
    }

    [Fact]
    public void Generate_UsesTheWholeAlphabetEvenly()
    {
        using var random = RandomNumberGenerator.Create();
        var counts = new Dictionary<char, int>();
        var ufrags = new HashSet<string>();
        for (int i = 0; i < 2_000; i++)
        {
            IceCredentials credentials = IceCredentials.Generate(random);
            Assert.True(ufrags.Add(credentials.Ufrag));
            foreach (char c in credentials.Password)
            {
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        }

        // 48,000 characters over 64 symbols: 750 each on average; a biased mapping would show.
        Assert.Equal(64, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 600, 900));
    }

    [Theory]
    [InlineData("abc", "ValidPasswordValidPassw")]
    [InlineData("ab:c", "ValidPasswordValidPassw")]
    [InlineData("abcd", "TooShortPassword")]
    [InlineData("abcd", "Password with spaces in it")]
    [InlineData("ab\u00e9d", "ValidPasswordValidPassw")]
    public void Create_RefusesValuesOutsideTheGrammar(string ufrag, string password)
    {
        Assert.Throws<ArgumentException>(() => IceCredentials.Create(ufrag, password));
    }

    [Fact]
    public void Create_AcceptsTheShortestAndLongestValues()
    {
        IceCredentials shortest = IceCredentials.Create("a+/9", new string('p', 22));
        IceCredentials longest = IceCredentials.Create(new string('u', 256), new string('p', 256));

        Assert.Equal("a+/9", shortest.Ufrag);
        Assert.Equal(256, longest.Ufrag.Length);
        Assert.Throws<ArgumentException>(() => IceCredentials.Create(new string('u', 257), new string('p', 22)));
        Assert.Equal("a+/9", shortest.ToString());
    }
}
