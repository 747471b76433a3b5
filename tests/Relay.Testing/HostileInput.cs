namespace Relay.Testing;

/// <summary>
/// Hostile variants of a valid packet for parser tests: every truncated prefix, and seeded random
/// corruptions. Each variant is a fresh exact-length array, so a parser that reads past its input
/// hits the array bound and the test fails with an IndexOutOfRangeException.
/// </summary>
public static class HostileInput
{
    /// <summary>Every prefix of <paramref name="valid"/> shorter than the whole, from empty up.</summary>
    public static IEnumerable<byte[]> Truncations(byte[] valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        for (int length = 0; length < valid.Length; length++)
        {
            yield return valid.AsSpan(0, length).ToArray();
        }
    }

    /// <summary>
    /// <paramref name="perSeed"/> corruptions for each of <paramref name="seeds"/> fixed seeds: flipped
    /// bits, overwritten bytes (often with 0x00 and 0xFF, which make lengths extreme), and cuts, mixed.
    /// The same seeds give the same inputs on every run, so a failure can be replayed.
    /// </summary>
    public static IEnumerable<(int Seed, byte[] Input)> Corruptions(byte[] valid, int seeds = 200, int perSeed = 50)
    {
        ArgumentNullException.ThrowIfNull(valid);
        for (int seed = 0; seed < seeds; seed++)
        {
            var random = new Random(seed);
            for (int i = 0; i < perSeed; i++)
            {
                yield return (seed, Corrupt(valid, random));
            }
        }
    }

    private static byte[] Corrupt(byte[] valid, Random random)
    {
        byte[] copy = (byte[])valid.Clone();
        if (copy.Length == 0)
        {
            return copy;
        }

        int changes = 1 + random.Next(4);
        for (int c = 0; c < changes; c++)
        {
            int at = random.Next(copy.Length);
            switch (random.Next(4))
            {
                case 0:
                    copy[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    copy[at] = (byte)random.Next(256);
                    break;
                case 2:
                    copy[at] = random.Next(2) == 0 ? (byte)0x00 : (byte)0xFF;
                    break;
                default:
                    copy = copy.AsSpan(0, at).ToArray();
                    if (copy.Length == 0)
                    {
                        return copy;
                    }

                    break;
            }
        }

        return copy;
    }
}
