using System.Text;
using Relay.Recording.Export;
using Relay.Recording.Location;

namespace Relay.Recording.Tests.Location;

public class LocationTrailFileTests
{
    private static readonly LocationPoint[] Trail =
    [
        new(new DateTimeOffset(2026, 12, 1, 18, 0, 0, TimeSpan.Zero).AddTicks(1234560), 51.501364, -0.14189, 5, null, 90.5, 1.25),
        new(new DateTimeOffset(2026, 12, 1, 19, 0, 1, TimeSpan.FromHours(1)), -33.8568, 151.2153, 12.5),
    ];

    [Fact]
    public void Fixes_AreWrittenInOneFixedForm_AndReadBackTheSame()
    {
        byte[] bytes = LocationTrailFile.ToBytes(Trail);

        Assert.Equal(
            "{\"t\":\"2026-12-01T18:00:00.123456Z\",\"lat\":51.501364,\"lon\":-0.14189,\"acc\":5,\"alt\":null,\"hdg\":90.5,\"spd\":1.25}\n" +
            "{\"t\":\"2026-12-01T18:00:01.000000Z\",\"lat\":-33.8568,\"lon\":151.2153,\"acc\":12.5,\"alt\":null,\"hdg\":null,\"spd\":null}\n",
            Encoding.UTF8.GetString(bytes));
        Assert.Equal(Trail.Select(static p => p with { Time = p.Time.ToUniversalTime() }), LocationTrailFile.Parse(bytes));
        Assert.Equal(LocationTrailFile.Sha256(bytes), LocationTrailFile.Sha256(LocationTrailFile.ToBytes(LocationTrailFile.Parse(bytes))));
    }

    [Fact]
    public void AnEmptyTrail_IsAnEmptyFile() => Assert.Empty(LocationTrailFile.ToBytes([]));

    [Theory]
    [InlineData("{\"t\":\"2026-12-01T18:00:00.000000Z\",\"lat\":51.5,\"lon\":0,\"acc\":5,\"alt\":null,\"hdg\":null,\"spd\":null}", "no line end")]
    [InlineData("{\"t\":\"2026-12-01T18:00:00.000000Z\", \"lat\":51.5,\"lon\":0,\"acc\":5,\"alt\":null,\"hdg\":null,\"spd\":null}\n", "canonical")]
    [InlineData("{\"t\":\"2026-12-01T18:00:00Z\",\"lat\":51.5,\"lon\":0,\"acc\":5,\"alt\":null,\"hdg\":null,\"spd\":null}\n", "microseconds")]
    [InlineData("{\"t\":\"2026-12-01T18:00:00.000000Z\",\"lat\":91,\"lon\":0,\"acc\":5,\"alt\":null,\"hdg\":null,\"spd\":null}\n", "out of range")]
    [InlineData("{\"t\":\"2026-12-01T18:00:00.000000Z\",\"lon\":0,\"acc\":5,\"alt\":null,\"hdg\":null,\"spd\":null}\n", "line 1")]
    [InlineData("[1,2]\n", "line 1")]
    [InlineData("not json\n", "line 1")]
    [InlineData("{\"t\":7,\"lat\":1,\"lon\":0,\"acc\":5,\"alt\":null,\"hdg\":null,\"spd\":null}\n", "line 1")]
    [InlineData("\n", "line 1")]
    public void AnAlteredOrDamagedFile_IsRefusedWithTheReason(string text, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => LocationTrailFile.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
