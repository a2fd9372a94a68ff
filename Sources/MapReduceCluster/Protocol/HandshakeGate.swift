/// The connections waiting in the handshake on one port, and which one gives
/// way when too many wait: the rule that keeps peers holding the secret from
/// being starved by a flood of connections that do not. No I/O and no clock:
/// the server closes what it says to evict.
///
/// - At most `capacity` connections wait at once. A newcomer to a full table
///   evicts the oldest waiting connection instead of being refused: a peer
///   holding the secret answers the challenge within a round trip, so it is
///   evicted only if `capacity` more connections arrive meanwhile, while a
///   flood's connections, which never answer, are always the oldest.
/// - Standing: an origin that authenticated before outranks one that never
///   did. A newcomer evicts the oldest connection of the lowest standing
///   waiting, and is refused only when every waiting connection outranks it.
/// - A remote (not loopback) origin holds at most `originShare` places; its
///   newcomers beyond that evict its own oldest, so one remote host cannot
///   evict anyone else's connections. (The processes of a local cluster all
///   come from loopback, so loopback has no share of its own.)
/// - At most `rememberedOrigins` origins that authenticated are remembered,
///   the one that authenticated longest ago forgotten first.
struct HandshakeGate<Handle> {
    /// One admitted connection; tickets are numbered in order of arrival.
    struct Ticket: Hashable, Sendable {
        fileprivate let number: UInt64
    }

    enum Admission {
        /// Let the connection in, and close `evicting` (whose ticket is void from now on).
        case admitted(Ticket, evicting: Handle?)
        /// Close the newcomer at once.
        case refused
    }

    fileprivate struct Waiting {
        let ticket: Ticket
        let origin: PeerOrigin
        let trusted: Bool
        let handle: Handle
    }

    let capacity: Int
    let originShare: Int
    let rememberedOrigins: Int
    /// Oldest first.
    private var waiting: [Waiting] = []
    /// Origins that authenticated, with the ticket number of their latest authentication.
    private var trusted: [PeerOrigin: UInt64] = [:]
    private var nextNumber: UInt64 = 0

    /// `capacity` waiting connections, `originShare` of them from one remote origin, `rememberedOrigins` trusted origins remembered.
    init(capacity: Int, originShare: Int = 32, rememberedOrigins: Int = 1024) {
        precondition(capacity > 0 && originShare > 0 && rememberedOrigins > 0)
        self.capacity = capacity
        self.originShare = originShare
        self.rememberedOrigins = rememberedOrigins
    }

    /// Connections waiting now.
    var waitingCount: Int { self.waiting.count }

    /// Decides on a connection from `origin` that has just arrived.
    mutating func admit(_ handle: Handle, from origin: PeerOrigin) -> Admission {
        let trusted = self.trusted[origin] != nil
        let victim: Int?
        if !origin.isLoopback, self.waiting.count(where: { $0.origin == origin }) >= self.originShare {
            victim = self.waiting.firstIndex { $0.origin == origin }
        } else if self.waiting.count >= self.capacity {
            guard let lowest = self.waiting.firstIndex(where: { !$0.trusted }) ?? (trusted ? 0 : nil) else { return .refused }
            victim = lowest
        } else {
            victim = nil
        }
        let evicted = victim.map { self.waiting.remove(at: $0).handle }
        let ticket = Ticket(number: self.nextNumber)
        self.nextNumber += 1
        self.waiting.append(Waiting(ticket: ticket, origin: origin, trusted: trusted, handle: handle))
        return .admitted(ticket, evicting: evicted)
    }

    /// The connection of `ticket` passed the handshake: its origin is trusted from now on.
    mutating func authenticated(_ ticket: Ticket) {
        guard let origin = self.remove(ticket) else { return }
        self.trusted[origin] = ticket.number
        if self.trusted.count > self.rememberedOrigins, let stalest = self.trusted.min(by: { $0.value < $1.value }) {
            self.trusted[stalest.key] = nil
        }
    }

    /// The connection of `ticket` failed the handshake, or closed; false if it had been evicted.
    mutating func failed(_ ticket: Ticket) -> Bool {
        self.remove(ticket) != nil
    }

    /// Whether `origin` authenticated before (and is still remembered).
    func isTrusted(_ origin: PeerOrigin) -> Bool {
        self.trusted[origin] != nil
    }

    /// Removes `ticket`'s connection if it is still waiting (not evicted); returns its origin.
    private mutating func remove(_ ticket: Ticket) -> PeerOrigin? {
        guard let index = self.waiting.firstIndex(where: { $0.ticket == ticket }) else { return nil }
        return self.waiting.remove(at: index).origin
    }
}

extension HandshakeGate: Sendable where Handle: Sendable {}
extension HandshakeGate.Waiting: Sendable where Handle: Sendable {}
extension HandshakeGate.Admission: Sendable where Handle: Sendable {}
