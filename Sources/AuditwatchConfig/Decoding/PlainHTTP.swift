import AuditwatchCore

/// Plain `http://` URLs: fine for a stand-in on this machine, a risk anywhere else (the admin key
/// and the alerts would cross the network in clear).
public enum PlainHTTP {
    /// The host of an `http://` URL that is not a loopback address, or nil (https, loopback, not a URL).
    public static func nonLoopbackHost(_ url: String) -> String? {
        guard url.lowercased().hasPrefix("http://") else { return nil }
        var rest = url.dropFirst("http://".count)
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let host: Substring
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[rest.index(after: rest.startIndex)..<close]
        } else {
            host = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? rest
        }
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered.hasSuffix(".localhost") { return nil }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets[0] == "127", octets.allSatisfy({ UInt8($0) != nil }) { return nil }
        return String(host)
    }
}
