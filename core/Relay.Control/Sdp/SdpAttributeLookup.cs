namespace Relay.Control.Sdp;

/// <summary>Name lookups over an attribute list; attribute names compare exactly (RFC 8866 section 5.13).</summary>
internal static class SdpAttributeLookup
{
    public static SdpAttributeLine? Find(IReadOnlyList<SdpAttributeLine> attributes, string name)
    {
        for (int i = 0; i < attributes.Count; i++)
        {
            if (string.Equals(attributes[i].Name, name, StringComparison.Ordinal))
            {
                return attributes[i];
            }
        }

        return null;
    }

    public static IEnumerable<SdpAttributeLine> FindAll(IReadOnlyList<SdpAttributeLine> attributes, string name)
    {
        for (int i = 0; i < attributes.Count; i++)
        {
            if (string.Equals(attributes[i].Name, name, StringComparison.Ordinal))
            {
                yield return attributes[i];
            }
        }
    }
}
