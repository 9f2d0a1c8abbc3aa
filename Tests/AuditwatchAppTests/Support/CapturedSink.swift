import AuditwatchApp
import AuditwatchCore
import AuditwatchTestSupport
import FoundationEssentials
import Synchronization

/// What a command said on its diagnostic sink, as the text standard error would show.
final class CapturedSink: Sendable {
    private let said = Mutex<[String]>([])

    var sink: DiagnosticSink {
        DiagnosticSink(
            report: { diagnostics, sources in
                let text = DiagnosticRenderer(sources: sources).text(diagnostics)
                self.said.withLock { $0.append(text) }
            },
            note: { _, text in self.said.withLock { $0.append(text) } })
    }

    var lines: [String] { said.withLock { $0 } }
    var text: String { lines.joined(separator: "\n") }
}

/// Paths in the repository (the tests call the app layer with absolute paths).
enum Repository {
    static func path(_ relative: String) -> String {
        CommandRunner.repositoryRoot.appendingPathComponent(relative).path
    }
}
