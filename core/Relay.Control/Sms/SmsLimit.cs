namespace Relay.Control.Sms;

/// <summary>At most <see cref="Count"/> SMS in any <see cref="Window"/> (a sliding window).</summary>
public sealed class SmsLimit
{
    public int Count { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
