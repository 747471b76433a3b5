using System.Globalization;

namespace Relay.Control.Location;

/// <summary>
/// Ordnance Survey grid references: two letters for the 100 km square, then the easting and
/// northing within it, e.g. "TQ 30079 80472" (1 m). The letters skip I; the first names the
/// 500 km square counted from the false origin's west and north (S is the one holding it).
/// </summary>
public static class GridReference
{
    /// <summary>
    /// The reference to <paramref name="digits"/> figures each way (1 to 5: 10 km to 1 m), or null when the point is off the grid.
    /// </summary>
    public static string? Format(GridPosition position, int digits = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 5);
        if (!position.IsOnGrid || double.IsNaN(position.Easting) || double.IsNaN(position.Northing))
        {
            return null;
        }

        int easting = (int)Math.Floor(position.Easting);
        int northing = (int)Math.Floor(position.Northing);
        int e100 = easting / 100_000;
        int n100 = northing / 100_000;
        int first = (19 - n100) - ((19 - n100) % 5) + ((e100 + 10) / 5);
        int second = ((19 - n100) * 5 % 25) + (e100 % 5);
        char l1 = Letter(first);
        char l2 = Letter(second);

        int divisor = (int)Math.Pow(10, 5 - digits);
        int e = easting % 100_000 / divisor;
        int n = northing % 100_000 / divisor;
        string format = "D" + digits.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{l1}{l2} {e.ToString(format, CultureInfo.InvariantCulture)} {n.ToString(format, CultureInfo.InvariantCulture)}");
    }

    private static char Letter(int index) => (char)('A' + (index > 7 ? index + 1 : index));
}
