import AuditwatchCore
import AuditwatchService
import AuditwatchSources
import Foundation

/// `auditwatch fetch`: a source's events of a time range as JSON Lines, oldest first.
public struct Fetch {
    public var config: String
    public var source: String?
    public var since: Int64
    public var until: Int64?
    public var types: [String] = []
    public var sink: DiagnosticSink = .standardError

    public init(config: String, source: String?, since: Int64, until: Int64?) {
        self.config = config
        self.source = source
        self.since = since
        self.until = until
    }

    public func run(out: any LineOutput) throws {
        let (poller, _) = try SourceAccess.poller(config: config, source: source, types: types, sink: sink)
        let progress = ProgressLine()
        let end = until ?? Int64(Date().timeIntervalSince1970)
        let since = since
        let result = poller.fetch(since: since, until: until) { count, oldest in
            progress.update(events: count, fraction: Double(end - oldest) / Double(max(1, end - since)))
        }
        progress.finish()
        switch result {
        case .success(let events):
            for event in events { out.line(event.json) }
            out.flush()
            sink.note(
                .info,
                "auditwatch: \(events.count) events from \(UTCTime.iso8601(since)) to \(UTCTime.iso8601(until ?? Int64(Date().timeIntervalSince1970)))"
            )
        case .failure(let failure):
            throw AppError.source("\(failure)")
        }
    }
}
