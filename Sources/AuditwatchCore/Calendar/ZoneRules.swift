/// A time zone's UTC offsets over time, read from a TZif file (RFC 8536): the transitions it
/// lists, then its POSIX rule for every instant after the last one.
public struct ZoneRules: Sendable {
    public let name: String
    /// Transition instants (Unix seconds, ascending) and the local time type in force from each.
    let transitions: [Int64]
    let types: [LocalTimeType]
    /// The type before the first transition.
    let initialType: LocalTimeType
    /// The rule after the last transition (the TZif footer), if any.
    let rule: POSIXZoneRule?

    /// The zone's offset from UTC, in seconds, at `instant`.
    public func offset(at instant: Int64) -> Int {
        localTimeType(at: instant).offset
    }

    /// The offset and the abbreviation (`EDT`, or a numeric one such as `+03`) in force at `instant`.
    public func localTimeType(at instant: Int64) -> LocalTimeType {
        if let last = transitions.last, instant >= last, let rule {
            return rule.localTimeType(at: instant)
        }
        var low = 0, high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? initialType : types[low - 1]
    }

    /// A fixed-offset zone (UTC is `ZoneRules.utc`); its abbreviation is its name when that is short
    /// (`UTC`), else the numeric offset.
    public init(name: String, fixedOffset: Int32) {
        self.name = name
        transitions = []
        types = []
        let abbreviation =
            name.count <= 5 && name.allSatisfy(\.isLetter)
            ? name : LocalTimeType.numericAbbreviation(Int(fixedOffset))
        initialType = LocalTimeType(offset: Int(fixedOffset), abbreviation: abbreviation)
        rule = nil
    }

    public static let utc = ZoneRules(name: "UTC", fixedOffset: 0)

    /// Parses TZif data (versions 1 to 4).
    public init(name: String, tzif bytes: [UInt8]) throws(ZoneError) {
        var reader = ByteReader(bytes: bytes)
        func header() throws(ZoneError) -> (version: UInt8, counts: [Int]) {
            guard reader.take(4) == Array("TZif".utf8) else {
                throw ZoneError("'\(name)' is not a TZif time zone file")
            }
            guard let version = reader.take(1)?.first else { throw ZoneError("'\(name)' is truncated") }
            _ = reader.take(15)
            var counts: [Int] = []
            for _ in 0..<6 {
                guard let value = reader.int(4) else { throw ZoneError("'\(name)' is truncated") }
                counts.append(Int(value))
            }
            return (version, counts)
        }
        var (version, counts) = try header()
        var timeSize = 4
        if version >= UInt8(ascii: "2") {
            // Skip the 32-bit block: the 64-bit one that follows is authoritative.
            let skip = counts[3] * 5 + counts[4] * 6 + counts[5] + counts[2] * 8 + counts[1] + counts[0]
            guard reader.take(skip) != nil else { throw ZoneError("'\(name)' is truncated") }
            (_, counts) = try header()
            timeSize = 8
        }
        let (isutcCount, isstdCount, leapCount, timeCount, typeCount, charCount) = (
            counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]
        )
        guard typeCount > 0 else { throw ZoneError("'\(name)' has no local time types") }
        var times: [Int64] = []
        for _ in 0..<timeCount {
            guard let value = reader.int(timeSize) else { throw ZoneError("'\(name)' is truncated") }
            times.append(value)
        }
        guard let indices = reader.take(timeCount) else { throw ZoneError("'\(name)' is truncated") }
        var typeOffsets: [Int32] = []
        var typeIsDST: [Bool] = []
        var typeAbbreviationIndices: [Int] = []
        for _ in 0..<typeCount {
            guard let offset = reader.int(4), let flags = reader.take(2) else {
                throw ZoneError("'\(name)' is truncated")
            }
            typeOffsets.append(Int32(offset))
            typeIsDST.append(flags[0] != 0)
            typeAbbreviationIndices.append(Int(flags[1]))
        }
        guard let designations = reader.take(charCount) else { throw ZoneError("'\(name)' is truncated") }
        guard reader.take(leapCount * (timeSize + 4) + isstdCount + isutcCount) != nil else {
            throw ZoneError("'\(name)' is truncated")
        }
        // Each type's abbreviation is the NUL-terminated string at its index in the designations.
        let localTypes = zip(typeOffsets, typeAbbreviationIndices).map { offset, start in
            let text =
                start < designations.count
                ? String(decoding: designations[start...].prefix { $0 != 0 }, as: UTF8.self) : ""
            return LocalTimeType(offset: Int(offset), abbreviation: LocalTimeType.printable(text, offset: Int(offset)))
        }
        var footer: POSIXZoneRule?
        if timeSize == 8, reader.take(1) == [0x0A], let text = reader.takeLine(), !text.isEmpty {
            footer = POSIXZoneRule(text)
        }
        guard indices.allSatisfy({ Int($0) < typeCount }) else { throw ZoneError("'\(name)' has a bad type index") }
        self.name = name
        transitions = times
        types = indices.map { localTypes[Int($0)] }
        // RFC 8536: before the first transition, the first non-DST type (else type 0) applies.
        initialType = localTypes[typeIsDST.firstIndex(of: false) ?? 0]
        rule = footer
    }
}

/// A time zone that cannot be used.
public struct ZoneError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

private struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, position + count <= bytes.count else { return nil }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    mutating func int(_ size: Int) -> Int64? {
        guard let raw = take(size) else { return nil }
        var value: UInt64 = 0
        for byte in raw { value = value << 8 | UInt64(byte) }
        return size == 4 ? Int64(Int32(bitPattern: UInt32(value))) : Int64(bitPattern: value)
    }

    mutating func takeLine() -> String? {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { return nil }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }
}
