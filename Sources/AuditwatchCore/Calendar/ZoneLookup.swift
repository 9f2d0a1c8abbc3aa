/// Where IANA time zones come from: the system's zone database in the tool (`AuditwatchZones`),
/// whatever a test brings otherwise. Rule and config loading receive one; the core reads no file.
public protocol ZoneLookup: Sendable {
    /// The rules of zone `name`, such as `Europe/Berlin`, or why there are none.
    func zone(_ name: String) -> Result<ZoneRules, ZoneError>
    /// A did-you-mean for a zone name that is not known (`; did you mean 'America/New_York'?`), or "".
    func suggestion(for name: String) -> String
}

extension ZoneLookup {
    /// `diagnostics` with this lookup's did-you-mean added to "unknown time zone 'NAME' in …"
    /// (a template's `time:` filter, which the core resolves without the zone names).
    public func withZoneHints(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.map { diagnostic in
            let prefix = "unknown time zone '"
            guard diagnostic.message.hasPrefix(prefix), !diagnostic.message.contains("did you mean"),
                let end = diagnostic.message.dropFirst(prefix.count).firstIndex(of: "'")
            else { return diagnostic }
            let start = diagnostic.message.index(diagnostic.message.startIndex, offsetBy: prefix.count)
            var hinted = diagnostic
            hinted.message += suggestion(for: String(diagnostic.message[start..<end]))
            return hinted
        }
    }
}
