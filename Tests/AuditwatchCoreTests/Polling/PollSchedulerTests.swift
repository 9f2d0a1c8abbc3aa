import Testing

@testable import AuditwatchCore

/// Runs a scheduler tick by tick: at each tick the polls that end then are reported, then what
/// `start` hands out begins, taking `duration(source)` ticks and ending as `outcome(source)` says.
private struct Simulation {
    var scheduler: PollScheduler
    let duration: (String) -> Int64
    let outcome: (String) -> PollScheduler.Outcome
    var eligible: (String) -> Bool = { _ in true }
    /// Start ticks per source.
    var starts: [String: [Int64]] = [:]
    var delays: [Int64] = []
    var running: [(source: String, ends: Int64)] = []
    var mostInFlight = 0
    var mostPerHost: [String: Int] = [:]
    /// Whether the scheduler's count of polls in flight always matched the simulation's.
    var countsAgree = true

    mutating func run(through end: Int64, from begin: Int64 = 0) {
        let hosts = Set(scheduler.sources.map(\.host))
        for now in begin...end {
            let ending = running.filter { $0.ends <= now }
            running.removeAll { $0.ends <= now }
            for poll in ending { scheduler.finished(poll.source, outcome(poll.source), now: now) }
            for start in scheduler.start(now: now, eligible: eligible) {
                starts[start.source, default: []].append(now)
                delays.append(now - start.due)
                running.append((start.source, now + duration(start.source)))
            }
            mostInFlight = max(mostInFlight, scheduler.inFlight)
            for host in hosts {
                mostPerHost[host] = max(mostPerHost[host, default: 0], scheduler.inFlight(host: host))
            }
            countsAgree = countsAgree && scheduler.inFlight == running.count
        }
    }

    /// The gaps between consecutive starts of `source`.
    func gaps(_ source: String) -> [Int64] {
        let times = starts[source] ?? []
        return zip(times.dropFirst(), times).map { $0 - $1 }
    }
}

@Suite("The poll scheduler: fair polling of many organizations")
struct PollSchedulerTests {
    private func source(_ name: String, host: String = "api.openai.com", interval: Int64 = 60) -> PollScheduler.Source {
        PollScheduler.Source(name: name, host: host, interval: interval)
    }

    @Test("1,000 organizations, one whose API always hangs and fails: every other keeps its interval")
    func oneHungAmongThousand() {
        var scheduler = PollScheduler(limits: .init(concurrency: 8, perHost: 4))
        let names = (0..<1000).map { "org\($0)" }
        // Four API hosts; the hung organization shares the first with 249 others.
        for (index, name) in names.enumerated() {
            scheduler.add(source(name, host: "api\(index % 4).example", interval: 300), due: 0)
        }
        var simulation = Simulation(
            scheduler: scheduler, duration: { $0 == "org0" ? 30 : 1 }, outcome: { $0 == "org0" ? .failed : .succeeded }
        )
        simulation.run(through: 3000)
        #expect(simulation.countsAgree)
        #expect(simulation.mostInFlight <= 8)
        #expect(simulation.mostPerHost.values.allSatisfy { $0 <= 4 }, "\(simulation.mostPerHost)")
        #expect(simulation.mostInFlight == 8, "the bound is reached while the first polls queue")
        let gaps = names.dropFirst().flatMap { simulation.gaps($0) }
        #expect(gaps.max() ?? 0 <= 330 && gaps.min() ?? 0 >= 300, "gaps from \(gaps.min() ?? 0) to \(gaps.max() ?? 0)")
        // Every other one is first polled within an interval and then about once per interval.
        let late = names.dropFirst().filter { (simulation.starts[$0]?.first ?? .max) > 300 }
        let seldom = names.dropFirst().filter { (simulation.starts[$0]?.count ?? 0) < 9 }
        #expect(late.isEmpty && seldom.isEmpty, "late: \(late.prefix(5)), polled under 9 times: \(seldom.prefix(5))")
        // The hung one: 30 ticks in flight, then 1, 2, 4… intervals of backoff (8 would be next).
        #expect(simulation.gaps("org0") == [330, 630, 1230], "\(simulation.gaps("org0"))")
        #expect(scheduler.backoff(failures: 5) == 10 && scheduler.backoff(failures: 60) == 10)
    }

    @Test("hung organizations fill their host's slots only: other hosts are polled on time")
    func hungHostIsolated() {
        var scheduler = PollScheduler(limits: .init(concurrency: 8, perHost: 2))
        for index in 0..<20 { scheduler.add(source("slow\(index)", host: "slow.example", interval: 10), due: 0) }
        for index in 0..<20 { scheduler.add(source("fast\(index)", host: "fast.example", interval: 10), due: 0) }
        var simulation = Simulation(
            scheduler: scheduler, duration: { $0.hasPrefix("slow") ? 1000 : 1 }, outcome: { _ in .succeeded })
        simulation.run(through: 500)
        #expect(simulation.mostPerHost["slow.example"] == 2)
        #expect(simulation.mostPerHost["fast.example"] == 2)
        for index in 0..<20 {
            let gaps = simulation.gaps("fast\(index)")
            #expect(gaps.count >= 45 && gaps.dropFirst().allSatisfy { $0 == 10 }, "fast\(index): \(gaps)")
        }
        #expect(simulation.starts.keys.filter { $0.hasPrefix("slow") }.count == 2, "two slow polls hold their slots")
    }

    @Test("overloaded (more due than the slots can poll): every organization gets its turn, none starves")
    func noStarvation() {
        var scheduler = PollScheduler(limits: .init(concurrency: 8, perHost: 3))
        for index in 0..<90 { scheduler.add(source("org\(index)", interval: 5), due: 0) }
        var simulation = Simulation(scheduler: scheduler, duration: { _ in 1 }, outcome: { _ in .succeeded })
        simulation.run(through: 3000)
        let counts = (0..<90).map { simulation.starts["org\($0)"]?.count ?? 0 }
        // 3 polls a tick for 90 sources: each is polled every 30 ticks, in turn.
        #expect(counts.max()! - counts.min()! <= 1, "\(counts)")
        #expect(counts.min()! >= 99, "\(counts)")
        for index in 0..<90 {
            #expect(simulation.gaps("org\(index)").allSatisfy { $0 <= 31 }, "\(simulation.gaps("org\(index)"))")
        }
        #expect(simulation.mostPerHost["api.openai.com"] == 3)
    }

    @Test("due sources start earliest-due first, ties in the order they were added; the replica bound holds")
    func earliestDueFirst() {
        var scheduler = PollScheduler(limits: .init(concurrency: 2, perHost: 2))
        scheduler.add(source("c"), due: 30)
        scheduler.add(source("a"), due: 10)
        scheduler.add(source("b"), due: 10)
        scheduler.add(source("later"), due: 100)
        #expect(scheduler.start(now: 5).isEmpty)
        #expect(scheduler.nextStart() == 10)
        #expect(scheduler.start(now: 40) == [.init(source: "a", due: 10), .init(source: "b", due: 10)])
        #expect(scheduler.start(now: 40).isEmpty, "both slots taken")
        #expect(scheduler.nextStart() == nil, "only a finished poll frees a slot")
        scheduler.finished("b", .succeeded, now: 41)
        #expect(scheduler.start(now: 41) == [.init(source: "c", due: 30)])
        #expect(scheduler.schedule(of: "b")! == (due: 100, running: false, failures: 0))
    }

    @Test("a full host does not hold back the sources of another host behind it")
    func perHostBound() {
        var scheduler = PollScheduler(limits: .init(concurrency: 10, perHost: 1))
        scheduler.add(source("a1", host: "a"), due: 0)
        scheduler.add(source("a2", host: "a"), due: 0)
        scheduler.add(source("b1", host: "b"), due: 1)
        #expect(scheduler.start(now: 1).map(\.source) == ["a1", "b1"])
        #expect(scheduler.inFlight(host: "a") == 1 && scheduler.inFlight == 2)
        #expect(scheduler.nextStart() == nil, "a2 waits for its host, nothing else is idle")
        scheduler.finished("a1", .succeeded, now: 3)
        #expect(scheduler.nextStart() == 0)
        #expect(scheduler.start(now: 3).map(\.source) == ["a2"])
    }

    @Test("failures back off from the end of the poll, doubling up to ten intervals; a success resets it")
    func backoff() {
        var scheduler = PollScheduler()
        scheduler.add(source("a", interval: 60), due: 0)
        var now: Int64 = 0
        var waits: [Int64] = []
        for _ in 0..<7 {
            let start = scheduler.start(now: now)
            #expect(start.map(\.source) == ["a"])
            now += 5
            scheduler.finished("a", .failed, now: now)
            waits.append(scheduler.schedule(of: "a")!.due - now)
            now = scheduler.schedule(of: "a")!.due
        }
        #expect(waits == [60, 120, 240, 480, 600, 600, 600])
        #expect(scheduler.schedule(of: "a")!.failures == 7)
        _ = scheduler.start(now: now)
        scheduler.finished("a", .succeeded, now: now + 5)
        #expect(scheduler.schedule(of: "a")! == (due: now + 60, running: false, failures: 0))
    }

    @Test("a poll longer than the interval is followed at once by one poll, not by a catch-up burst")
    func slowPoll() {
        var scheduler = PollScheduler()
        scheduler.add(source("a", interval: 10), due: 0)
        _ = scheduler.start(now: 0)
        scheduler.finished("a", .succeeded, now: 95)
        #expect(scheduler.schedule(of: "a")!.due == 95)
        #expect(scheduler.start(now: 95).map(\.source) == ["a"])
        scheduler.finished("a", .succeeded, now: 96)
        #expect(scheduler.schedule(of: "a")!.due == 105)
    }

    @Test("eligible (the replica's leases) filters without losing the source's place")
    func eligibleFilter() {
        var scheduler = PollScheduler()
        scheduler.add(source("held"), due: 0)
        scheduler.add(source("other"), due: 0)
        #expect(scheduler.start(now: 0) { $0 == "held" }.map(\.source) == ["held"])
        #expect(scheduler.nextStart { $0 == "held" } == nil)
        #expect(scheduler.nextStart() == 0)
        #expect(scheduler.start(now: 7).map(\.source) == ["other"])
        #expect(scheduler.start(now: 7).isEmpty)
    }

    @Test("update adds new sources due now, removes gone ones (a poll in flight keeps its slot), keeps the rest")
    func update() {
        var scheduler = PollScheduler(limits: .init(concurrency: 2, perHost: 2))
        scheduler.add(source("a"), due: 0)
        scheduler.add(source("b"), due: 0)
        _ = scheduler.start(now: 0)
        scheduler.finished("a", .succeeded, now: 1)
        scheduler.update([source("a", interval: 30), source("c")], now: 5)
        #expect(scheduler.sources.map(\.name) == ["a", "c"])
        #expect(scheduler.inFlight == 1, "b's poll still runs")
        #expect(scheduler.start(now: 5).map(\.source) == ["c"])
        #expect(scheduler.start(now: 100).isEmpty, "b's slot is still taken")
        scheduler.finished("b", .succeeded, now: 100)
        #expect(scheduler.schedule(of: "b") == nil && scheduler.inFlight == 1)
        #expect(scheduler.start(now: 100).map(\.source) == ["a"])
        scheduler.finished("a", .succeeded, now: 101)
        #expect(scheduler.schedule(of: "a")!.due == 130, "the new interval applies")
    }

    @Test(
        "the per-host key of a base URL is its host and port",
        arguments: [
            ("https://api.openai.com/v1", "api.openai.com"), ("http://127.0.0.1:8080/v1", "127.0.0.1:8080"),
            ("https://user:pw@API.Example.com/v1?x=1", "api.example.com"), ("https://h.example", "h.example"),
        ])
    func hostKey(url: String, host: String) {
        #expect(PollScheduler.host(of: url) == host)
    }
}
