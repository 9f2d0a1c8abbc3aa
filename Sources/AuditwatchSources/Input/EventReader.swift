public import AuditwatchCore

/// Reads audit-log events from a file or standard input, whatever shape they come in.
///
/// JSON Lines stream through a fixed buffer and a reused document, so memory stays flat however
/// long the input is. A list response or an array is read whole (API pages are small) and its
/// events are handed on in event-time order, oldest first, as the API returns newest first.
/// A malformed line is reported with its line number and skipped; in strict mode it stops the read.
public final class EventReader {
    public let path: String
    /// The name used in messages.
    public let displayName: String
    /// The detected shape, once reading has begun.
    @exclusivity(unchecked) public private(set) var format: InputFormat?
    /// Events handed on.
    // The per-line counters skip dynamic exclusivity checks: a reader is used by one thread
    // at a time and never hands out references to them.
    @exclusivity(unchecked) public private(set) var eventCount = 0
    /// Lines or values skipped as malformed.
    public private(set) var skippedCount = 0
    /// Lines kept after their invalid UTF-8 was replaced by U+FFFD (as most log tools do).
    public private(set) var repairedCount = 0
    /// A JSON Lines line longer than this is skipped and reported like a malformed one; reading
    /// it costs at most this much memory (plus one read chunk).
    public var maxLineBytes = 16 << 20

    static let chunkSize = 1 << 20

    /// Where reading stands after an event: what a state file stores to resume.
    public struct Position: Sendable, Equatable {
        /// JSON Lines: the byte offset of the next unread line; whole documents: 0.
        public var byteOffset: Int64
        /// Lines consumed (JSON Lines) so far.
        public var line: Int
        /// Events handed on so far, counting those before a resume.
        public var events: Int
        /// False for an event that is not the last one its line holds (an expanded API page):
        /// a resume can only start at a line boundary.
        public var isResumable: Bool

        public init(byteOffset: Int64 = 0, line: Int = 0, events: Int = 0, isResumable: Bool = true) {
            self.byteOffset = byteOffset
            self.line = line
            self.events = events
            self.isResumable = isResumable
        }
    }

    @exclusivity(unchecked) private var resume = Position()
    @exclusivity(unchecked) private var current = Position()

    /// `tail -f`: at the end of a JSON Lines file, wait this many seconds for more instead of
    /// stopping; `read`'s `onIdle` runs whenever the reader catches up and returns false to stop.
    public var followInterval: Double?

    /// JSON Lines: parse each line after the previous ones into one shared document instead of
    /// reusing a document per line, until `detachDocument()`. Events read then share memory, so
    /// a batch of them handed to another thread costs one growing allocation, not one per event.
    @exclusivity(unchecked) public var sharesDocuments = false
    @exclusivity(unchecked) private var detachRequested = false

    /// With `sharesDocuments`: the next line starts a fresh document. Call it when handing the
    /// events read so far to another thread; the reader never writes to their document again.
    public func detachDocument() { detachRequested = true }

    public init(path: String) {
        self.path = path
        self.displayName = path == "-" ? "<stdin>" : path
    }

    /// Reads every event, calling `onEvent` in order and `onProblem` for each bad line or value.
    /// Throws only when the input cannot be read at all, or (strict) at the first problem.
    public func read(
        strict: Bool = false, onProblem: (InputProblem) -> Void, onEvent: (Event) -> Void
    ) throws(InputProblem) {
        try read(strict: strict, from: nil, onProblem: onProblem) { event, _ in onEvent(event) }
    }

    /// Reads every event after `resume` (a position an earlier read reported), calling `onEvent`
    /// with each event and the position after it. A file resumes at its byte offset (JSON Lines)
    /// or after its first `events` events (whole documents); standard input cannot seek and is
    /// read from where it stands.
    public func read(
        strict: Bool = false, from resume: Position?, onProblem: (InputProblem) -> Void, onIdle: () -> Bool = { true },
        onEvent: (Event, Position) -> Void
    ) throws(InputProblem) {
        let source = try ByteSource(path: path)
        self.resume = resume ?? Position()
        current = Position(byteOffset: 0, line: 0, events: 0)
        let report: (InputProblem) throws(InputProblem) -> Void = { problem throws(InputProblem) in
            self.skippedCount += 1
            if strict { throw problem }
            onProblem(problem)
        }
        if let resume, resume.byteOffset > 0, path != "-" {
            try source.seek(to: resume.byteOffset, path: displayName)
            current = Position(byteOffset: resume.byteOffset, line: resume.line, events: resume.events)
            var buffer: [UInt8] = []
            try readLines(source, &buffer, report: report, onIdle: onIdle, onEvent: onEvent)
            return
        }
        var buffer: [UInt8] = []
        _ = source.read(into: &buffer, count: EventReader.chunkSize)
        guard let first = buffer.firstIndex(where: { !EventReader.isWhitespace($0) }) else {
            format = .jsonLines
            if followInterval != nil {
                try readLines(source, &buffer, report: report, onIdle: onIdle, onEvent: onEvent)
            }
            return
        }
        switch buffer[first] {
        case UInt8(ascii: "["):
            try readWhole(source, &buffer, report: report, onEvent: onEvent)
        case UInt8(ascii: "{"):
            if firstLineIsComplete(buffer, from: first) || followInterval != nil {
                try readLines(source, &buffer, report: report, onIdle: onIdle, onEvent: onEvent)
            } else {
                while source.read(into: &buffer, count: EventReader.chunkSize) > 0 {}
                if (try? JSONDocument(parsing: buffer)) != nil {
                    try readWhole(source, &buffer, report: report, onEvent: onEvent)
                } else {
                    try readLines(source, &buffer, report: report, onIdle: onIdle, onEvent: onEvent)
                }
            }
        default:
            let position = JSONDocument.lineAndColumn(of: first, in: buffer)
            throw InputProblem(
                file: displayName, line: position.line, column: position.column,
                message: "this is not audit-log JSON: expected JSON Lines, a JSON array or an API list response")
        }
    }

    // MARK: - JSON Lines

    private func readLines(
        _ source: ByteSource, _ buffer: inout [UInt8], report: (InputProblem) throws(InputProblem) -> Void,
        onIdle: () -> Bool = { true }, onEvent: (Event, Position) -> Void
    ) throws(InputProblem) {
        format = .jsonLines
        var document = JSONDocument()
        var lineNumber = current.line
        var bufferOffset = current.byteOffset  // file offset of buffer[0]
        while true {
            var failure: InputProblem?
            let consumed: Int = buffer.withUnsafeBytes { raw in
                do throws(InputProblem) {
                    return try readLineChunk(
                        raw, fileOffset: bufferOffset, lineNumber: &lineNumber, document: &document, report: report,
                        onEvent: onEvent)
                } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw failure }
            buffer.removeFirst(consumed)
            bufferOffset += Int64(consumed)
            if buffer.count > maxLineBytes {
                try skipLongLine(source, &buffer, &bufferOffset, &lineNumber, report: report)
                continue
            }
            if source.read(into: &buffer, count: EventReader.chunkSize) == 0 {
                guard let interval = followInterval else { break }
                // Caught up: let the caller flush, then wait for the writer to add lines. A
                // partial last line stays in the buffer until its newline arrives.
                if !onIdle() { return }
                sleepSeconds(interval)
                source.resetEnd()
            }
        }
        if buffer.contains(where: { !EventReader.isWhitespace($0) }) {
            lineNumber += 1
            current.line = lineNumber
            current.byteOffset = bufferOffset + Int64(buffer.count)
            var failure: InputProblem?
            buffer.withUnsafeBytes { raw in
                do throws(InputProblem) { try handleLine(raw, lineNumber, &document, report, onEvent) } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        }
    }

    /// A line past `maxLineBytes` with no newline yet: its bytes are dropped as they come, up to
    /// and including its newline (or the end of the input), and it is reported.
    private func skipLongLine(
        _ source: ByteSource, _ buffer: inout [UInt8], _ bufferOffset: inout Int64, _ lineNumber: inout Int,
        report: (InputProblem) throws(InputProblem) -> Void
    ) throws(InputProblem) {
        var dropped = 0
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                dropped += newline
                buffer.removeFirst(newline + 1)
                bufferOffset += Int64(newline + 1)
                break
            }
            dropped += buffer.count
            bufferOffset += Int64(buffer.count)
            buffer.removeAll(keepingCapacity: true)
            if source.read(into: &buffer, count: EventReader.chunkSize) == 0 { break }
        }
        lineNumber += 1
        current.line = lineNumber
        current.byteOffset = bufferOffset
        try report(
            InputProblem(
                file: displayName, line: lineNumber, column: nil,
                message: "line of \(dropped) bytes is longer than --max-line-bytes \(maxLineBytes); line skipped"))
    }

    /// Reads every line of `chunk` that ends in a newline; returns the bytes consumed.
    /// `fileOffset` is the file offset of `chunk`'s first byte; `lineNumber` counts the lines
    /// read so far and is advanced. The parallel pipeline's workers call it on chunks cut at
    /// newlines, each worker with a reader of its own.
    func readLineChunk(
        _ chunk: UnsafeRawBufferPointer, fileOffset: Int64, lineNumber: inout Int, document: inout JSONDocument,
        report: (InputProblem) throws(InputProblem) -> Void, onEvent: (Event, Position) -> Void
    ) throws(InputProblem) -> Int {
        format = .jsonLines
        var cursor = 0
        while cursor < chunk.count {
            guard let newline = memchrIndex(chunk, UInt8(ascii: "\n"), from: cursor) else { break }
            lineNumber += 1
            current.line = lineNumber
            current.byteOffset = fileOffset + Int64(newline + 1)
            try handleLine(
                UnsafeRawBufferPointer(rebasing: chunk[cursor..<newline]), lineNumber, &document, report, onEvent)
            cursor = newline + 1
        }
        return cursor
    }

    private func handleLine(
        _ line: UnsafeRawBufferPointer, _ number: Int, _ document: inout JSONDocument,
        _ report: (InputProblem) throws(InputProblem) -> Void, _ onEvent: (Event, Position) -> Void
    ) throws(InputProblem) {
        var trimmed = line
        while let last = trimmed.last, EventReader.isWhitespace(last) {
            trimmed = UnsafeRawBufferPointer(rebasing: trimmed.dropLast())
        }
        guard trimmed.contains(where: { !EventReader.isWhitespace($0) }) else { return }
        guard trimmed.count <= maxLineBytes else {
            try report(
                InputProblem(
                    file: displayName, line: number, column: nil,
                    message:
                        "line of \(trimmed.count) bytes is longer than --max-line-bytes \(maxLineBytes); line skipped"))
            return
        }
        func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> Int {
            if sharesDocuments {
                if detachRequested {
                    // Sized like the last one, so a batch rarely grows (and copies) its buffers.
                    document = JSONDocument(
                        reservingBytes: document.byteCount + document.byteCount / 4 + 4096,
                        nodes: document.nodes.count + document.nodes.count / 4 + 512)
                    detachRequested = false
                }
                return try document.appendParsing(bytes)
            }
            try document.parse(bytes)
            return 0
        }
        var root: Int
        do {
            root = try parse(trimmed)
        } catch {
            // Invalid UTF-8 is replaced by U+FFFD and the line kept (counted), as log tools do;
            // any other problem skips the line.
            let repaired = error.message.contains("UTF-8") ? Array(String(decoding: trimmed, as: UTF8.self).utf8) : nil
            if let repaired,
                let fixed = try? repaired.withUnsafeBytes({ bytes throws(JSONParseError) in try parse(bytes) })
            {
                root = fixed
                repairedCount += 1
            } else {
                try report(
                    InputProblem(
                        file: displayName, line: number, column: error.offset + 1,
                        message: "malformed JSON: \(error.message); line skipped"))
                return
            }
        }
        if document.kind(root) == .object, let data = listData(document, root) {
            try emitSorted(document, data, lineOf: { _ in number }, report: report, onEvent: onEvent, lineBound: true)
            return
        }
        do {
            let event = try Event(document: document, root: root)
            eventCount += 1
            current.events += 1
            current.isResumable = true
            onEvent(event, current)
        } catch {
            try report(
                InputProblem(file: displayName, line: number, column: nil, message: "\(error.message); line skipped"))
        }
    }

    // MARK: - Whole documents

    private func readWhole(
        _ source: ByteSource, _ buffer: inout [UInt8], report: (InputProblem) throws(InputProblem) -> Void,
        onEvent: (Event, Position) -> Void
    ) throws(InputProblem) {
        while source.read(into: &buffer, count: EventReader.chunkSize) > 0 {}
        let document: JSONDocument
        do {
            document = try JSONDocument(parsing: buffer)
        } catch {
            let position = JSONDocument.lineAndColumn(of: error.offset, in: buffer)
            throw InputProblem(
                file: displayName, line: position.line, column: position.column,
                message: "malformed JSON: \(error.message)")
        }
        let text = buffer
        let lineOf: (Int) -> Int = { node in
            JSONDocument.lineAndColumn(of: Int(document.nodes[node].start), in: text).line
        }
        switch document.kind(0) {
        case .array:
            format = .array
            try emitSorted(document, document.elements(0), lineOf: lineOf, report: report, onEvent: onEvent)
        case .object:
            if let data = listData(document, 0) {
                format = .listResponse
                try emitSorted(document, data, lineOf: lineOf, report: report, onEvent: onEvent)
            } else {
                format = .singleEvent
                try emitSorted(document, [0], lineOf: lineOf, report: report, onEvent: onEvent)
            }
        default:
            throw InputProblem(
                file: displayName, line: 1, column: 1, message: "expected events, found a JSON \(document.kind(0))")
        }
    }

    /// The elements of `data` when the object is an API list response.
    private func listData(_ document: JSONDocument, _ object: Int) -> [Int]? {
        guard let kind = document.member(object, "object"), document.stringEquals(kind, "list"),
            let data = document.member(object, "data"), document.kind(data) == .array
        else { return nil }
        return document.elements(data)
    }

    private func emitSorted(
        _ document: JSONDocument, _ roots: [Int], lineOf: (Int) -> Int,
        report: (InputProblem) throws(InputProblem) -> Void, onEvent: (Event, Position) -> Void, lineBound: Bool = false
    ) throws(InputProblem) {
        var events: [Event] = []
        events.reserveCapacity(roots.count)
        for root in roots {
            do {
                events.append(try Event(document: document, root: root))
            } catch {
                try report(
                    InputProblem(
                        file: displayName, line: lineOf(root), column: nil, message: "\(error.message); event skipped"))
            }
        }
        // Oldest first; ties by id so the order never depends on how the API paged.
        let ordered = events.enumerated().sorted { left, right in
            if left.element.effectiveAt != right.element.effectiveAt {
                return left.element.effectiveAt < right.element.effectiveAt
            }
            let leftID = left.element.id, rightID = right.element.id
            return leftID != rightID ? leftID < rightID : left.offset < right.offset
        }
        for (index, entry) in ordered.enumerated() {
            if !lineBound {
                // A whole document resumes by count: skip what an earlier run committed.
                current.events += 1
                if current.events <= resume.events { continue }
                current.isResumable = true
            } else {
                current.events += 1
                current.isResumable = index == ordered.count - 1
            }
            eventCount += 1
            onEvent(entry.element, current)
        }
    }

    // MARK: - Helpers

    private func firstLineIsComplete(_ buffer: [UInt8], from start: Int) -> Bool {
        guard let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else { return false }
        return (try? JSONDocument(parsing: buffer[start..<newline])) != nil
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

extension JSONDocument {
    /// Line and column of a byte offset in `text`.
    static func lineAndColumn(of offset: Int, in text: [UInt8]) -> (line: Int, column: Int) {
        text.withUnsafeBufferPointer { lineAndColumn(of: offset, in: $0) }
    }
}
