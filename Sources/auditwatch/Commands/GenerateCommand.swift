import ArgumentParser
import AuditwatchApp
import AuditwatchCore

extension Auditwatch {
    /// `auditwatch generate`: deterministic, realistic audit-log JSON Lines for benchmarks and fixtures.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract:
                "Write realistic, deterministic audit-log events as JSON Lines (the same seed gives the same bytes)."
        )

        @Option(name: .long, help: "How many events.")
        var events = 1_000_000

        @Option(name: .long, help: "The seed.")
        var seed: UInt64 = 42

        func run() throws {
            var generator = EventGenerator(seed: seed)
            let stdout = LineWriter(descriptor: 1, limit: 1 << 20)
            for _ in 0..<events { stdout.line(generator.next()) }
            stdout.flush()
        }
    }
}
