namespace Relay.Cluster.Redis;

/// <summary>Redis has not been reached since the node started, so there is no connection to use yet.</summary>
public sealed class ClusterUnavailableException : Exception
{
    public ClusterUnavailableException()
    {
    }

    public ClusterUnavailableException(string message)
        : base(message)
    {
    }

    public ClusterUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
