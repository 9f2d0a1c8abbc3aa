import AuditwatchCore
import Foundation

/// Reads IANA time zones from the system's zone database (`/usr/share/zoneinfo`, from Debian's
/// `tzdata` package; `TZDIR` overrides the folder).
public final class ZoneDatabase: @unchecked Sendable {
    public let directory: String
    private var cache: [String: Result<ZoneRules, ZoneError>] = [:]
    private let lock = NSLock()

    public init(directory: String? = nil) {
        self.directory = directory ?? ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
    }

    /// The rules of zone `name`, such as `Europe/Berlin`.
    public func zone(_ name: String) -> Result<ZoneRules, ZoneError> {
        lock.lock(); defer { lock.unlock() }
        if let cached = cache[name] { return cached }
        let result = load(name)
        cache[name] = result
        return result
    }

    private func load(_ name: String) -> Result<ZoneRules, ZoneError> {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/")
        guard !name.isEmpty, name.allSatisfy({ allowed.contains($0) }), !name.hasPrefix("/"), !name.contains("..") else {
            return .failure(ZoneError("'\(name)' is not an IANA time zone name (like Europe/Berlin)"))
        }
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
            let hint = FileManager.default.fileExists(atPath: directory) ? "" : " (no zone database at \(directory): install the tzdata package)"
            return .failure(ZoneError("unknown time zone '\(name)'\(hint)"))
        }
        do {
            return .success(try ZoneRules(name: name, tzif: Array(data)))
        } catch {
            return .failure(error)
        }
    }
}
