import AuditwatchCore
public import Foundation

/// What the service made of its last reload, in a file next to the state file
/// (`STATE.reload`), so `auditwatch reload` can wait for it and report it.
public struct ReloadOutcome: Codable, Sendable {
    public var time: Int64
    public var ok: Bool
    public var rules: Int?
    public var notifiers: Int?

    public init(time: Int64, ok: Bool, rules: Int? = nil, notifiers: Int? = nil) {
        self.time = time
        self.ok = ok
        self.rules = rules
        self.notifiers = notifiers
    }

    public static func path(state: String) -> String { state + ".reload" }

    public func write(state: String) {
        guard let data = try? JSONEncoder().encode(self) else { return }
        try? data.write(to: URL(fileURLWithPath: ReloadOutcome.path(state: state)), options: .atomic)
    }

    /// The outcome written after `date`, if any.
    public static func read(state: String, after date: Date) -> ReloadOutcome? {
        let path = path(state: state)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let modified = attributes[.modificationDate] as? Date, modified >= date,
            let data = FileManager.default.contents(atPath: path)
        else { return nil }
        return try? JSONDecoder().decode(ReloadOutcome.self, from: data)
    }
}
