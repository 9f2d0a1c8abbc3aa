import Testing

@testable import AuditwatchCore

@Suite("JSON parser")
struct JSONParserTests {
    @Test(
        "string escapes decode",
        arguments: [
            (#""a\"b""#, "a\"b"),
            (#""back\\slash""#, "back\\slash"),
            (#""\/\b\f\n\r\t""#, "/\u{8}\u{C}\n\r\t"),
            (#""\u00e9\u4e2d""#, "é中"),
            (#""\ud83d\ude00""#, "😀"),
            (#""lone \ud800 surrogate""#, "lone \u{FFFD} surrogate"),
            (#""raw ünïcödé 😀""#, "raw ünïcödé 😀"),
        ])
    func escapes(input: String, expected: String) throws {
        let document = try JSONDocument(parsing: input)
        #expect(document.kind(0) == .string)
        #expect(document.text(0) == expected)
    }

    @Test(
        "numbers keep their text and convert on demand",
        arguments: [
            ("0", 0.0, true), ("-12", -12.0, true), ("1722461446", 1722461446.0, true),
            ("3.25", 3.25, false), ("-1e3", -1000.0, false), ("2.5E-2", 0.025, false),
        ])
    func numbers(input: String, value: Double, integer: Bool) throws {
        let document = try JSONDocument(parsing: input)
        #expect(document.kind(0) == .number)
        #expect(document.double(0) == value)
        #expect(document.nodes[0].isInteger == integer)
        #expect(document.text(0) == input)
    }

    @Test("an integer too large for Int64 still reads as a Double")
    func hugeInteger() throws {
        let document = try JSONDocument(parsing: "123456789012345678901234567890")
        #expect(document.int64(0) == nil)
        #expect(document.double(0) == 1.2345678901234568e29)
    }

    /// The unchecked loop takes texts of at most 18 bytes; longer ones test for overflow.
    @Test(
        "integers at the edge of the unchecked loop and of Int64 read as Int64(_:) reads them",
        arguments: [
            "999999999999999999", "-99999999999999999", "-999999999999999999", "1000000000000000000",
            "9223372036854775807", "9223372036854775808", "-9223372036854775807", "-9223372036854775808",
            "-9223372036854775809", "18446744073709551616", "99999999999999999999", "100000000000000000",
            "123456789012345678", "-0", "7",
        ])
    func integerEdges(input: String) throws {
        let document = try JSONDocument(parsing: input)
        let expected = Int64(input)
        // Int64.min's magnitude overflows the positive accumulator: it reads as a Double instead.
        #expect(document.int64(0) == (input == "-9223372036854775808" ? nil : expected), "\(input)")
        #expect(document.double(0) == Double(input), "\(input)")
    }

    @Test("objects and arrays: members, elements and skip pointers")
    func structure() throws {
        let document = try JSONDocument(parsing: #"{"a": [1, {"b": null}, true], "c": "x", "d": {}}"#)
        let members = document.members(0)
        #expect(members.map { document.text($0.key) } == ["a", "c", "d"])
        let array = try #require(document.member(0, "a"))
        #expect(document.elements(array).map { document.kind($0) } == [.number, .object, .true])
        #expect(document.text(document.member(0, "c")!) == "x")
        #expect(document.members(document.member(0, "d")!).isEmpty)
        #expect(JSONWriter.serialize(document, 0) == #"{"a":[1,{"b":null},true],"c":"x","d":{}}"#)
    }

    @Test("deep nesting within the limit parses; beyond it fails cleanly")
    func nesting() throws {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try JSONDocument(parsing: deep) }
        let tooDeep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try JSONDocument(parsing: tooDeep) }
        #expect(error?.message.contains("nesting deeper than") == true)
    }

    @Test(
        "invalid and truncated input is rejected with a position",
        arguments: [
            ("", "empty input"),
            ("{", "end of input"),
            (#"{"a":1"#, "end of input"),
            (#"{"a" 1}"#, "expected ':'"),
            (#"{"a":1,}"#, "quoted member name"),
            ("[1,]", "expected a value"),
            ("[1 2]", "expected ',' or ']'"),
            (#""abc"#, "unterminated string"),
            (#""a\qb""#, "invalid escape"),
            (#""\u12G4""#, "four hex digits"),
            ("\"tab\there\"", "control character"),
            ("01", "leading zero"),
            ("-", "digits after '-'"),
            ("1.", "digits after '.'"),
            ("1e", "exponent"),
            ("tru", "expected 'true'"),
            ("nul", "expected 'null'"),
            ("{} x", "after the end"),
            ("'single'", "expected a value"),
        ])
    func invalid(input: String, fragment: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONDocument(parsing: input) }
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error")")
    }

    @Test(
        "invalid UTF-8 inside strings is rejected",
        arguments: [
            [0x22, 0xC3, 0x22] as [UInt8],  // truncated two-byte sequence
            [0x22, 0xC0, 0xAF, 0x22],  // overlong
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-16 surrogate encoded in UTF-8
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0xFF, 0x22],
        ])
    func invalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONDocument(parsing: bytes) }
    }

    @Test("a document can be re-filled, reusing its storage")
    func reuse() throws {
        var document = JSONDocument()
        for text in [#"{"a":1}"#, #"[true,false]"#, #""s""#] {
            try Array(text.utf8).withUnsafeBytes { try document.parse($0) }
            #expect(JSONWriter.serialize(document, 0) == text)
        }
        #expect(throws: JSONParseError.self) { try Array("{".utf8).withUnsafeBytes { try document.parse($0) } }
        #expect(document.root == nil)
    }

    @Test("output strings escape quotes, control characters and line separators")
    func writerEscapes() {
        #expect(JSONWriter.quoted("a\"b\\c\n\u{1}\u{2028}") == #""a\"b\\c\n\u0001\u2028""#)
    }

    @Test(
        "a key twice in one object marks that object and every container above it",
        arguments: [
            (#"{"a":1,"a":2}"#, [0]),
            (#"{"x":{"k":1,"k":2},"y":{"k":3}}"#, [0, 2]),
            (#"[{"k":1},{"id":1,"ab":2,"id":3}]"#, [0, 4]),
            (#"{"list":[{"k":1,"k":2}]}"#, [0, 2, 3]),
        ])
    func repeatedKeys(input: String, marked: [Int]) throws {
        let document = try JSONDocument(parsing: input)
        let found = (0..<document.nodes.count).filter { document.nodes[$0].mayRepeatKey }
        #expect(found == marked)
    }

    @Test(
        "keys of one length that differ, and one key in sibling objects, mark nothing",
        arguments: [
            #"{"id":1,"ab":2,"cd":{"id":1,"ab":2}}"#,
            #"{"a":{"k":1},"b":{"k":2},"ab":1}"#,
            #"[{"type":"t"},{"type":"t"},{"type":"t","user":"u","name":"n"}]"#,
        ])
    func distinctKeys(input: String) throws {
        let document = try JSONDocument(parsing: input)
        #expect((0..<document.nodes.count).allSatisfy { !document.nodes[$0].mayRepeatKey })
    }

    @Test("an escaped key may decode to any earlier key: its object is marked for an exact reader")
    func escapedKeys() throws {
        let document = try JSONDocument(parsing: #"{"x":{"typ\u0065":1,"type":2},"y":{"k":1}}"#)
        #expect(document.nodes[0].mayRepeatKey && document.nodes[2].mayRepeatKey)
        #expect(!document.nodes[8].mayRepeatKey)
    }

    @Test("a value appended to a shared document carries its own mark")
    func appendedValues() throws {
        var document = JSONDocument()
        let first = try Array(#"{"a":1,"a":2}"#.utf8).withUnsafeBytes { try document.appendParsing($0) }
        let second = try Array(#"{"a":1,"b":2}"#.utf8).withUnsafeBytes { try document.appendParsing($0) }
        #expect(document.nodes[first].mayRepeatKey)
        #expect(!document.nodes[second].mayRepeatKey)
    }

    @Test("memoryEqual finds a difference at every position of every length up to 24")
    func memoryEqualEveryPosition() {
        // Lengths 4 to 7 and over 8 compare overlapping words: a wrong offset would miss a byte.
        let left = (0..<24).map { UInt8($0 + 65) }
        for count in 0...24 {
            left.withUnsafeBufferPointer { a in
                #expect(memoryEqual(a.baseAddress!, a.baseAddress!, count))
                for position in 0..<count {
                    var right = left
                    right[position] ^= 0x20
                    right.withUnsafeBufferPointer { b in
                        #expect(!memoryEqual(a.baseAddress!, b.baseAddress!, count), "count \(count), at \(position)")
                    }
                }
            }
        }
    }
}
