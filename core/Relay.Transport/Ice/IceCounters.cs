namespace Relay.Transport.Ice;

/// <summary>
/// What an <see cref="IceLiteServer"/> did with the datagrams its socket handed it, as plain counters
/// the metrics layer reads. Updated with <see cref="Interlocked"/> on the packet path; no
/// System.Diagnostics.Metrics instrument is touched per datagram. Datagrams and bytes in and out are
/// the socket's (<see cref="Udp.UdpSocketCounters"/>).
/// </summary>
public sealed class IceCounters
{
    private long _bindingSuccessResponses;
    private long _errorResponses;
    private long _roleConflicts;
    private long _datagramsDelivered;
    private long _nominations;
    private long _consentLosses;
    private long _nominationConflicts;
    private long _sendFailures;
    private long _droppedUnknownAddress;
    private long _droppedBadStun;
    private long _droppedBadIntegrity;
    private long _droppedUnknownUfrag;
    private long _droppedNotStunBeforeValidation;
    private long _droppedClassifiedUnknown;
    private long _droppedStunNotRequest;
    private long _droppedConsentLost;
    private long _handlerErrors;

    /// <summary>Authenticated Binding requests answered with success.</summary>
    public long BindingSuccessResponses => Interlocked.Read(ref _bindingSuccessResponses);

    /// <summary>Error responses sent: 400 (missing credentials, or a bad authenticated request), 420 and 487.</summary>
    public long ErrorResponses => Interlocked.Read(ref _errorResponses);

    /// <summary>Of <see cref="ErrorResponses"/>, the 487s: a peer that claimed the controlled role towards this lite agent.</summary>
    public long RoleConflicts => Interlocked.Read(ref _roleConflicts);

    /// <summary>DTLS, RTP and RTCP datagrams from a selected address handed to their agent.</summary>
    public long DatagramsDelivered => Interlocked.Read(ref _datagramsDelivered);

    /// <summary>Times an agent's selected address was set or moved by USE-CANDIDATE.</summary>
    public long Nominations => Interlocked.Read(ref _nominations);

    /// <summary>Agents whose consent expired (RFC 7675).</summary>
    public long ConsentLosses => Interlocked.Read(ref _consentLosses);

    /// <summary>Nominations refused because another agent already had that address.</summary>
    public long NominationConflicts => Interlocked.Read(ref _nominationConflicts);

    /// <summary>Responses the socket failed to send.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Non-STUN datagrams from an address no agent knows.</summary>
    public long DroppedUnknownAddress => Interlocked.Read(ref _droppedUnknownAddress);

    /// <summary>Datagrams in the STUN range that do not read as STUN, or whose FINGERPRINT is wrong.</summary>
    public long DroppedBadStun => Interlocked.Read(ref _droppedBadStun);

    /// <summary>Binding requests whose MESSAGE-INTEGRITY did not verify: dropped without an answer, so a prober learns nothing.</summary>
    public long DroppedBadIntegrity => Interlocked.Read(ref _droppedBadIntegrity);

    /// <summary>Binding requests whose USERNAME names no agent here (or the wrong remote ufrag): dropped without an answer.</summary>
    public long DroppedUnknownUfrag => Interlocked.Read(ref _droppedUnknownUfrag);

    /// <summary>
    /// Non-STUN datagrams from an address that has passed an authenticated check but is not its
    /// agent's selected address (not nominated yet, or replaced by a newer nomination).
    /// </summary>
    public long DroppedNotStunBeforeValidation => Interlocked.Read(ref _droppedNotStunBeforeValidation);

    /// <summary>Datagrams whose first byte no protocol on this port uses (RFC 7983).</summary>
    public long DroppedClassifiedUnknown => Interlocked.Read(ref _droppedClassifiedUnknown);

    /// <summary>Well-formed STUN that is not a Binding request (responses, indications, other methods): a lite agent answers none.</summary>
    public long DroppedStunNotRequest => Interlocked.Read(ref _droppedStunNotRequest);

    /// <summary>Checks for an agent whose consent has expired, which are not answered.</summary>
    public long DroppedConsentLost => Interlocked.Read(ref _droppedConsentLost);

    /// <summary>Exceptions an agent's handler threw from <see cref="IIceLiteAgentHandler.OnConsentLost"/>; each is a bug in the handler.</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    internal void OnBindingSuccessResponse() => Interlocked.Increment(ref _bindingSuccessResponses);

    internal void OnErrorResponse() => Interlocked.Increment(ref _errorResponses);

    internal void OnRoleConflict() => Interlocked.Increment(ref _roleConflicts);

    internal void OnDatagramDelivered() => Interlocked.Increment(ref _datagramsDelivered);

    internal void OnNomination() => Interlocked.Increment(ref _nominations);

    internal void OnConsentLoss() => Interlocked.Increment(ref _consentLosses);

    internal void OnNominationConflict() => Interlocked.Increment(ref _nominationConflicts);

    internal void OnSendFailure() => Interlocked.Increment(ref _sendFailures);

    internal void OnDroppedUnknownAddress() => Interlocked.Increment(ref _droppedUnknownAddress);

    internal void OnDroppedBadStun() => Interlocked.Increment(ref _droppedBadStun);

    internal void OnDroppedBadIntegrity() => Interlocked.Increment(ref _droppedBadIntegrity);

    internal void OnDroppedUnknownUfrag() => Interlocked.Increment(ref _droppedUnknownUfrag);

    internal void OnDroppedNotStunBeforeValidation() => Interlocked.Increment(ref _droppedNotStunBeforeValidation);

    internal void OnDroppedClassifiedUnknown() => Interlocked.Increment(ref _droppedClassifiedUnknown);

    internal void OnDroppedStunNotRequest() => Interlocked.Increment(ref _droppedStunNotRequest);

    internal void OnDroppedConsentLost() => Interlocked.Increment(ref _droppedConsentLost);

    internal void OnHandlerError() => Interlocked.Increment(ref _handlerErrors);
}
