import AuditwatchCore
import AuditwatchNotify
import Synchronization

/// What the polling loop, its workers and the service share: the sources' slots, the context
/// polls start with (and the leases that say which sources this replica polls), the sources
/// failing now (for `/readyz`), the delivery lanes to wake.
final class PollShared: Sendable {
    private let state: Mutex<State>

    struct State {
        var slots: [String: SourceSlot]
        /// Source names in config order (the order of `/readyz` reasons).
        var order: [String]
        var context: PollContext
        var lanes: DeliveryLanes
        var problems: [String: String] = [:]
    }

    init(slots: [SourceSlot], context: PollContext, lanes: DeliveryLanes) {
        state = Mutex(
            State(
                slots: Dictionary(slots.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                order: slots.map(\.name), context: context, lanes: lanes))
    }

    var context: PollContext { state.withLock { $0.context } }

    func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }

    func slot(_ name: String) -> SourceSlot? { state.withLock { $0.slots[name] } }

    /// Every source to schedule, in config order.
    var schedule: [PollScheduler.Source] {
        state.withLock { state in state.order.compactMap { state.slots[$0]?.schedule } }
    }

    /// Whether this replica polls `source` now: always, or while it holds the source's lease
    /// within its local deadline.
    func shouldPoll(_ source: String) -> Bool {
        guard let cluster = state.withLock({ $0.context.cluster }) else { return true }
        return cluster.held.isLive(source)
    }

    /// Records how the last poll of `source` went (nil: it worked).
    func setProblem(_ source: String, _ problem: String?) {
        state.withLock { state in
            if state.slots[source] != nil { state.problems[source] = problem }
        }
    }

    /// The sources after a reload: `slots` in config order (removed ones go, with their problems).
    func replace(slots: [SourceSlot]) {
        state.withLock { state in
            state.slots = Dictionary(slots.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            state.order = slots.map(\.name)
            state.problems = state.problems.filter { state.slots[$0.key] != nil }
        }
    }

    /// Why sources are failing, in config order.
    var problems: [String] { state.withLock { state in state.order.compactMap { state.problems[$0] } } }

    /// New deliveries were committed: the lanes in force now look again (a reload may have
    /// replaced the ones in force when the poll started).
    func wakeDelivery() { state.withLock { $0.lanes }.wake() }
}
