public import AuditwatchCore
import Foundation

/// Reads IANA time zones from the system's zone database (`/usr/share/zoneinfo`, from Debian's
/// `tzdata` package; `TZDIR` overrides the folder): the tool's `ZoneLookup`.
///
/// `@unchecked Sendable`: `lock` guards the two caches, the only mutable state.
public final class ZoneDatabase: ZoneLookup, @unchecked Sendable {
    public let directory: String
    private var cache: [String: Result<ZoneRules, ZoneError>] = [:]
    private var names: [String]?
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

    /// A did-you-mean for `name`, or "" when there is no zone database to look in.
    public func suggestion(for name: String) -> String {
        lock.lock(); defer { lock.unlock() }
        return FileManager.default.fileExists(atPath: directory) ? closest(to: name) : ""
    }

    /// `New York` or `new_york` → `America/New_York` (the city alone); else the closest name.
    private func closest(to name: String) -> String {
        let city = name.lowercased().replacingOccurrences(of: " ", with: "_")
        if let match = zoneNames().first(where: { $0.lowercased() == city || $0.lowercased().hasSuffix("/" + city) }) {
            return "; did you mean '\(match)'?"
        }
        return Suggestions.didYouMean(name, in: zoneNames())
    }

    /// The zone names of the database (`Area/City`), for a did-you-mean; read once, on a miss.
    private func zoneNames() -> [String] {
        if let names { return names }
        var found: [String] = []
        let areas = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for area in areas where area.first?.isUppercase == true {
            let children = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + area)) ?? []
            if children.isEmpty { found.append(area) }
            for child in children where child.first?.isUppercase == true { found.append(area + "/" + child) }
        }
        names = found.sorted()
        return names!
    }

    private func load(_ name: String) -> Result<ZoneRules, ZoneError> {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/")
        guard !name.isEmpty, name.allSatisfy({ allowed.contains($0) }), !name.hasPrefix("/"), !name.contains("..")
        else {
            let hint = name.isEmpty || !FileManager.default.fileExists(atPath: directory) ? "" : closest(to: name)
            return .failure(ZoneError("'\(name)' is not an IANA time zone name (like Europe/Berlin)\(hint)"))
        }
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else {
            let hint =
                FileManager.default.fileExists(atPath: directory)
                ? closest(to: name)
                : " (no zone database at \(directory): install the tzdata package)"
            return .failure(ZoneError("unknown time zone '\(name)'\(hint)"))
        }
        do {
            return .success(try ZoneRules(name: name, tzif: Array(data)))
        } catch {
            return .failure(error)
        }
    }
}
