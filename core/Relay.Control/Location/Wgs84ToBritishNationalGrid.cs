namespace Relay.Control.Location;

/// <summary>
/// WGS84 latitude and longitude (what a phone reports) to British National Grid eastings and
/// northings, the way Ordnance Survey's "A guide to coordinate systems in Great Britain" sets out:
/// geodetic to Cartesian on GRS80, the published 7-parameter Helmert transformation to OSGB36,
/// back to geodetic on Airy 1830, then the National Grid's Transverse Mercator projection.
/// The Helmert step is good to about 5 m across Great Britain (OSTN15 does better, but needs its
/// grid file); a phone's own accuracy is rarely better than that.
/// </summary>
public static class Wgs84ToBritishNationalGrid
{
    // GRS80 (WGS84 differs from it by 0.1 mm in the semi-minor axis).
    private const double Grs80A = 6_378_137.000;
    private const double Grs80B = 6_356_752.3141;

    // Airy 1830, the OSGB36 ellipsoid.
    private const double AiryA = 6_377_563.396;
    private const double AiryB = 6_356_256.909;

    // National Grid projection: scale on the central meridian, true origin 49N 2W, false origin.
    private const double F0 = 0.9996012717;
    private const double Phi0 = 49.0 * Math.PI / 180.0;
    private const double Lambda0 = -2.0 * Math.PI / 180.0;
    private const double E0 = 400_000;
    private const double N0 = -100_000;

    // WGS84 -> OSGB36 Helmert (position vector convention): metres, ppm, arc seconds.
    private const double Tx = -446.448;
    private const double Ty = 125.157;
    private const double Tz = -542.060;
    private const double ScalePpm = 20.4894;
    private const double RxSeconds = -0.1502;
    private const double RySeconds = -0.2470;
    private const double RzSeconds = -0.8421;

    private const double SecondsToRadians = Math.PI / (180.0 * 3600.0);

    /// <summary>The grid position of a WGS84 point; <paramref name="height"/> is the ellipsoidal height (0 when unknown: it moves the result by centimetres).</summary>
    public static GridPosition Convert(double latitude, double longitude, double height = 0)
    {
        (double osgbLatitude, double osgbLongitude) = ToOsgb36(latitude, longitude, height);
        return Project(osgbLatitude, osgbLongitude);
    }

    /// <summary>WGS84 to OSGB36 latitude and longitude, in degrees, by the Helmert transformation.</summary>
    public static (double Latitude, double Longitude) ToOsgb36(double latitude, double longitude, double height = 0)
    {
        (double x, double y, double z) = ToCartesian(latitude * Math.PI / 180.0, longitude * Math.PI / 180.0, height, Grs80A, Grs80B);

        double s = ScalePpm * 1e-6;
        double rx = RxSeconds * SecondsToRadians;
        double ry = RySeconds * SecondsToRadians;
        double rz = RzSeconds * SecondsToRadians;
        double x2 = Tx + ((1 + s) * x) - (rz * y) + (ry * z);
        double y2 = Ty + (rz * x) + ((1 + s) * y) - (rx * z);
        double z2 = Tz - (ry * x) + (rx * y) + ((1 + s) * z);

        (double phi, double lambda) = ToGeodetic(x2, y2, z2, AiryA, AiryB);
        return (phi * 180.0 / Math.PI, lambda * 180.0 / Math.PI);
    }

    /// <summary>OSGB36 latitude and longitude (degrees) projected onto the National Grid (the guide's Annex C).</summary>
    public static GridPosition Project(double osgbLatitude, double osgbLongitude)
    {
        double phi = osgbLatitude * Math.PI / 180.0;
        double lambda = osgbLongitude * Math.PI / 180.0;
        const double a = AiryA;
        const double b = AiryB;
        double e2 = ((a * a) - (b * b)) / (a * a);
        double n = (a - b) / (a + b);
        double n2 = n * n;
        double n3 = n2 * n;

        double sinPhi = Math.Sin(phi);
        double cosPhi = Math.Cos(phi);
        double tanPhi = Math.Tan(phi);
        double tan2 = tanPhi * tanPhi;
        double tan4 = tan2 * tan2;
        double sin2 = 1 - (e2 * sinPhi * sinPhi);
        double nu = a * F0 / Math.Sqrt(sin2);
        double rho = a * F0 * (1 - e2) / Math.Pow(sin2, 1.5);
        double eta2 = (nu / rho) - 1;

        double dPhi = phi - Phi0;
        double sPhi = phi + Phi0;
        double m = b * F0 * (((1 + n + (1.25 * n2) + (1.25 * n3)) * dPhi)
            - (((3 * n) + (3 * n2) + (21.0 / 8 * n3)) * Math.Sin(dPhi) * Math.Cos(sPhi))
            + (((15.0 / 8 * n2) + (15.0 / 8 * n3)) * Math.Sin(2 * dPhi) * Math.Cos(2 * sPhi))
            - (35.0 / 24 * n3 * Math.Sin(3 * dPhi) * Math.Cos(3 * sPhi)));

        double cos3 = cosPhi * cosPhi * cosPhi;
        double cos5 = cos3 * cosPhi * cosPhi;
        double i = m + N0;
        double ii = nu / 2 * sinPhi * cosPhi;
        double iii = nu / 24 * sinPhi * cos3 * (5 - tan2 + (9 * eta2));
        double iiia = nu / 720 * sinPhi * cos5 * (61 - (58 * tan2) + tan4);
        double iv = nu * cosPhi;
        double v = nu / 6 * cos3 * ((nu / rho) - tan2);
        double vi = nu / 120 * cos5 * (5 - (18 * tan2) + tan4 + (14 * eta2) - (58 * tan2 * eta2));

        double dl = lambda - Lambda0;
        double dl2 = dl * dl;
        double northing = i + (ii * dl2) + (iii * dl2 * dl2) + (iiia * dl2 * dl2 * dl2);
        double easting = E0 + (iv * dl) + (v * dl2 * dl) + (vi * dl2 * dl2 * dl);
        return new GridPosition(easting, northing);
    }

    /// <summary>Geodetic to Cartesian (the guide's Annex B).</summary>
    internal static (double X, double Y, double Z) ToCartesian(double phi, double lambda, double height, double a, double b)
    {
        double e2 = ((a * a) - (b * b)) / (a * a);
        double sinPhi = Math.Sin(phi);
        double nu = a / Math.Sqrt(1 - (e2 * sinPhi * sinPhi));
        double cosPhi = Math.Cos(phi);
        return ((nu + height) * cosPhi * Math.Cos(lambda), (nu + height) * cosPhi * Math.Sin(lambda), (((1 - e2) * nu) + height) * sinPhi);
    }

    /// <summary>Cartesian to geodetic by iteration (the guide's Annex B), to far below a millimetre.</summary>
    internal static (double Phi, double Lambda) ToGeodetic(double x, double y, double z, double a, double b)
    {
        double e2 = ((a * a) - (b * b)) / (a * a);
        double p = Math.Sqrt((x * x) + (y * y));
        double phi = Math.Atan2(z, p * (1 - e2));
        for (int iteration = 0; iteration < 10; iteration++)
        {
            double sinPhi = Math.Sin(phi);
            double nu = a / Math.Sqrt(1 - (e2 * sinPhi * sinPhi));
            double next = Math.Atan2(z + (e2 * nu * sinPhi), p);
            if (Math.Abs(next - phi) < 1e-12)
            {
                phi = next;
                break;
            }

            phi = next;
        }

        return (phi, Math.Atan2(y, x));
    }
}
