/// One chunk of `PendingQueue`: up to `PendingQueue.chunkSize` waiting matches as 56-byte records
/// whose strings (key, event id, value, group values, event texts) are UTF-8 bytes in one buffer
/// of the chunk. A string equal to one of the last few stored is stored once: the matches of one
/// event (the same event id, often the same user or address) follow each other, and then share
/// their bytes as they shared their `String`s. A waiting match held its strings as `String`s
/// before, an 80-byte record plus heap objects of 48 to 80 bytes for every text above 15 bytes.
struct PackedMatches: Sendable {
    /// A match; strings are `PackedMatches.reference`s into `bytes`.
    struct Record: Sendable {
        var time: Int64
        var key: UInt64
        var eventID: UInt64
        var value: UInt64
        var correlation: Int32
        var slot: Int32
        var position: Int32
        /// As `QueuedMatch.shape`.
        var shape: Int32
        /// The payload's references: `payloadCount` of them in `payload` from `payloadStart`.
        var payloadStart: Int32
        var payloadCount: Int32
    }

    private(set) var records: [Record] = []
    private var bytes: [UInt8] = []
    private var payload: [UInt64] = []
    /// The last strings stored (references), for sharing the bytes of equal ones.
    private var recent: (UInt64, UInt64, UInt64, UInt64) = (none, none, none, none)
    private var nextRecent = 0
    /// Tells chunks apart for `PendingQueue`'s cache of strings made again (never reused).
    let serial: Int

    /// A reference: `offset << 32 | length`; `none` for nil.
    static let none = UInt64.max

    init(serial: Int, capacity: Int) {
        self.serial = serial
        records.reserveCapacity(capacity)
    }

    var count: Int { records.count }

    /// Appends `match`.
    mutating func append(_ match: borrowing QueuedMatch) {
        records.append(record(match))
    }

    /// Puts `match` at `index` (its old strings' bytes stay until the chunk is freed: only the
    /// rare out-of-order insert that crosses a chunk boundary does this).
    mutating func replace(_ index: Int, with match: borrowing QueuedMatch) {
        records[index] = record(match)
    }

    mutating func swapAt(_ first: Int, _ second: Int) {
        records.swapAt(first, second)
    }

    /// Once the chunk is full: gives back the byte buffer's growth room.
    mutating func trim() {
        if bytes.capacity > bytes.count + bytes.count / 8 { bytes = Array(bytes[...]) }
        if payload.capacity > payload.count + payload.count / 8 { payload = Array(payload[...]) }
    }

    private mutating func record(_ match: borrowing QueuedMatch) -> Record {
        let start = Int32(truncatingIfNeeded: payload.count)
        for text in match.payload { payload.append(store(text)) }
        return Record(
            time: match.time, key: store(match.key), eventID: store(match.eventID), value: store(match.value),
            correlation: match.correlation, slot: match.slot, position: match.position, shape: match.shape,
            payloadStart: start, payloadCount: Int32(truncatingIfNeeded: match.payload.count))
    }

    /// The match at `index`, its strings made with `text` (the queue's cache) or, by default, anew.
    func match(_ index: Int, text: (UInt64) -> String? = { _ in nil }) -> QueuedMatch {
        let record = records[index]
        func string(_ reference: UInt64) -> String? {
            reference == PackedMatches.none ? nil : text(reference) ?? self.string(reference)
        }
        var texts: [String?] = []
        if record.payloadCount > 0 {
            let start = Int(record.payloadStart)
            texts.reserveCapacity(Int(record.payloadCount))
            for slot in start..<start + Int(record.payloadCount) { texts.append(string(payload[slot])) }
        }
        return QueuedMatch(
            time: record.time, key: string(record.key) ?? "", eventID: string(record.eventID) ?? "",
            value: string(record.value), payload: texts, correlation: record.correlation, slot: record.slot,
            position: record.position, shape: record.shape)
    }

    /// The string `reference` points at (not `none`).
    func string(_ reference: UInt64) -> String {
        let offset = Int(reference >> 32), length = Int(reference & 0xFFFF_FFFF)
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[offset..<offset + length]), as: UTF8.self)
        }
    }

    /// Whether the event id of the match at `index` sorts after `eventID`, equal to it, or before,
    /// as `String` compares: equal bytes are equal, ASCII compares by bytes, anything else as strings.
    func compareEventID(_ eventID: String, at index: Int) -> Int {
        let reference = records[index].eventID
        let offset = Int(reference >> 32), length = Int(reference & 0xFFFF_FFFF)
        var given = eventID
        let verdict: Int? = given.withUTF8 { given -> Int? in
            bytes.withUnsafeBufferPointer { buffer -> Int? in
                let stored = UnsafeBufferPointer(rebasing: buffer[offset..<offset + length])
                // A non-ASCII byte anywhere (a combining mark after an ASCII letter) can change
                // the order `String` gives, so only all-ASCII texts are compared by bytes.
                guard stored.allSatisfy({ $0 < 0x80 }), given.allSatisfy({ $0 < 0x80 }) else {
                    return stored.elementsEqual(given) ? 0 : nil
                }
                return given.lexicographicallyPrecedes(stored) ? -1 : (given.elementsEqual(stored) ? 0 : 1)
            }
        }
        if let verdict { return verdict }
        let other = string(reference)
        return eventID < other ? -1 : (eventID == other ? 0 : 1)
    }

    private mutating func store(_ text: String?) -> UInt64 {
        guard var text else { return PackedMatches.none }
        return text.withUTF8 { utf8 -> UInt64 in
            let length = utf8.count
            if length == 0 { return 0 }
            if holds(recent.0, utf8) { return recent.0 }
            if holds(recent.1, utf8) { return recent.1 }
            if holds(recent.2, utf8) { return recent.2 }
            if holds(recent.3, utf8) { return recent.3 }
            let reference = UInt64(bytes.count) << 32 | UInt64(length)
            bytes.append(contentsOf: utf8)
            switch nextRecent {
            case 0: recent.0 = reference
            case 1: recent.1 = reference
            case 2: recent.2 = reference
            default: recent.3 = reference
            }
            nextRecent = (nextRecent + 1) & 3
            return reference
        }
    }

    /// Whether `reference` points at exactly the bytes `utf8`.
    private func holds(_ reference: UInt64, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard reference != PackedMatches.none, Int(reference & 0xFFFF_FFFF) == utf8.count else { return false }
        let offset = Int(reference >> 32)
        return bytes.withUnsafeBufferPointer { buffer in
            for index in 0..<utf8.count where buffer[offset + index] != utf8[index] { return false }
            return true
        }
    }
}
