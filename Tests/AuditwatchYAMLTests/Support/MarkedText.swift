import AuditwatchCore

/// YAML text with emoji markers (1️⃣, 2️⃣, …) where diagnostics are expected, as swift-format's
/// rule tests mark findings: the markers are removed and each names the line and column it stood at.
struct MarkedText {
    let text: String
    let markers: [String: (line: Int, column: Int)]

    init(_ marked: String) {
        var text = ""
        var markers: [String: (line: Int, column: Int)] = [:]
        var line = 1
        var column = 1
        for character in marked {
            if let scalar = character.unicodeScalars.first, ("1"..."9").contains(Character(scalar)),
                character.unicodeScalars.count > 1
            {
                markers[String(character)] = (line, column)
                continue
            }
            text.append(character)
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.text = text
        self.markers = markers
    }

    /// Whether one of `diagnostics` says `message` (a prefix) at the marker.
    func has(_ diagnostics: [Diagnostic], _ message: String, at marker: String) -> Bool {
        guard let place = markers[marker] else { return false }
        return diagnostics.contains { diagnostic in
            diagnostic.message.hasPrefix(message) && diagnostic.location?.line == place.line
                && diagnostic.location?.column == place.column
        }
    }
}
