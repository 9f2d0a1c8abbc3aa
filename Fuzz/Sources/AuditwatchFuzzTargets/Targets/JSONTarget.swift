import AuditwatchCore

/// JSON event parsing: the parser, every reader on every node, and the invariants between them.
enum JSONTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        let document: JSONDocument
        do {
            var parsed = JSONDocument()
            try parsed.parse(input)
            document = parsed
        } catch {
            precondition(
                error.offset >= 0 && error.offset <= input.count,
                "error offset \(error.offset) outside the input")
            // A value the parser refuses alone must be refused when appended after another one.
            var shared = JSONDocument()
            _ = try? shared.parse(UnsafeRawBufferPointer(start: nil, count: 0))
            precondition((try? shared.appendParsing(input)) == nil, "appendParsing accepts what parse refuses")
            return
        }
        readEveryNode(document)
        checkAppendParsing(input, against: document)
        checkRoundTrip(document)
        guard let event = try? Event(document: document) else { return }
        let ruleSet = FuzzFixtures.shippedRules
        _ = ruleSet.matches(event)
        var engine = DetectionEngine(ruleSet: ruleSet)
        _ = engine.process(event)
        _ = engine.finish()
    }

    /// Calls every public reader on every node, as rules and alert templates do.
    private static func readEveryNode(_ document: JSONDocument) {
        let count = document.nodes.count
        precondition(count > 0, "a parsed document has no root")
        for index in 0..<count {
            switch document.kind(index) {
            case .object:
                let members = document.members(index)
                for member in members {
                    precondition(document.kind(member.key) == .string, "an object key is not a string")
                    if let key = document.text(member.key) { _ = document.member(index, key) }
                }
                _ = document.member(index, "type")
            case .array:
                _ = document.elements(index)
            case .string:
                _ = document.text(index)
                _ = document.decodedStringBytes(index)
                _ = document.stringEquals(index, "list")
                document.withText(index) { _ in }
            case .number:
                _ = document.int64(index)
                _ = document.double(index)
                _ = document.text(index)
            case .true, .false, .null:
                document.withRawBytes(index) { _ in }
            }
        }
    }

    /// A value appended after another one reads the same as when parsed alone.
    private static func checkAppendParsing(_ input: UnsafeRawBufferPointer, against document: JSONDocument) {
        var shared = JSONDocument()
        let prefix: [UInt8] = Array(#"{"id":"a","type":"t","effective_at":1}"#.utf8)
        _ = prefix.withUnsafeBytes { try? shared.appendParsing($0) }
        guard let root = try? shared.appendParsing(input) else {
            preconditionFailure("appendParsing refuses what parse accepts")
        }
        precondition(shared.nodes.count - root == document.nodes.count, "appendParsing made a different tape")
        precondition(
            JSONWriter.serialize(shared, root) == JSONWriter.serialize(document, 0),
            "appendParsing reads differently")
    }

    /// Serializing is stable: the compact text parses, and serializes to itself.
    private static func checkRoundTrip(_ document: JSONDocument) {
        let text = JSONWriter.serialize(document, 0)
        guard let again = try? JSONDocument(parsing: text) else {
            preconditionFailure("serialized JSON does not parse: \(text)")
        }
        precondition(JSONWriter.serialize(again, 0) == text, "serializing is not stable for \(text)")
    }
}
