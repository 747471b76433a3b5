namespace Relay.Server.Location;

/// <summary>The open location and chat sockets of one session: the caller's (normally one) and every officer's.</summary>
internal sealed class SessionChannel(string sessionId)
{
    private readonly Lock _lock = new();
    private LiveSocket[] _officers = [];
    private LiveSocket[] _callers = [];

    public string SessionId { get; } = sessionId;

    /// <summary>The last state sent, or null before the first.</summary>
    public string? State { get; set; }

    /// <summary>Whether a caller socket has been open (so its absence is "reconnecting" or "gone" in a location-only session).</summary>
    public bool CallerSeen { get; set; }

    /// <summary>Whether the session's video has been live (so its absence is "reconnecting" or "gone", not "waiting").</summary>
    public bool MediaSeen { get; set; }

    /// <summary>Queues the session to be looked at when the grace period after its caller left ends; null when none is due.</summary>
    public ITimer? GraceTimer { get; set; }

    /// <summary>When the last caller socket closed; null while one is open or before the first.</summary>
    public DateTimeOffset? CallerLeftAt { get; set; }

    public bool HasCaller => Volatile.Read(ref _callers).Length > 0;

    public bool IsEmpty => Volatile.Read(ref _callers).Length == 0 && Volatile.Read(ref _officers).Length == 0;

    public LiveSocket[] Officers => Volatile.Read(ref _officers);

    public LiveSocket[] Callers => Volatile.Read(ref _callers);

    public void AddOfficer(LiveSocket socket) => Change(ref _officers, socket, add: true);

    public void RemoveOfficer(LiveSocket socket) => Change(ref _officers, socket, add: false);

    public void AddCaller(LiveSocket socket)
    {
        Change(ref _callers, socket, add: true);
        CallerSeen = true;
        CallerLeftAt = null;
    }

    public void RemoveCaller(LiveSocket socket, DateTimeOffset now)
    {
        Change(ref _callers, socket, add: false);
        if (!HasCaller)
        {
            CallerLeftAt = now;
        }
    }

    /// <summary>Sends to every officer; a full officer queue closes that officer only. The count that could not take it.</summary>
    public int SendToOfficers(ReadOnlyMemory<byte> message) => SendAll(Officers, message);

    public int SendToCallers(ReadOnlyMemory<byte> message) => SendAll(Callers, message);

    public void CompleteAll()
    {
        foreach (LiveSocket socket in Officers)
        {
            socket.Complete();
        }

        foreach (LiveSocket socket in Callers)
        {
            socket.Complete();
        }
    }

    private static int SendAll(LiveSocket[] sockets, ReadOnlyMemory<byte> message)
    {
        int failed = 0;
        foreach (LiveSocket socket in sockets)
        {
            if (!socket.Send(message))
            {
                failed++;
            }
        }

        return failed;
    }

    // Copy on write: sends walk a snapshot without the lock.
    private void Change(ref LiveSocket[] sockets, LiveSocket socket, bool add)
    {
        lock (_lock)
        {
            LiveSocket[] current = sockets;
            if (add)
            {
                Volatile.Write(ref sockets, [.. current, socket]);
            }
            else if (Array.IndexOf(current, socket) >= 0)
            {
                Volatile.Write(ref sockets, Array.FindAll(current, s => s != socket));
            }
        }
    }
}
