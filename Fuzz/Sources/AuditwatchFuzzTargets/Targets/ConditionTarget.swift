/// Condition expressions: the input becomes the `condition` of a rule whose selections have
/// names the parser's patterns (`1 of sel*`, `all of them`, `filter_*`) can refer to.
enum ConditionTarget {
    static func run(_ input: UnsafeRawBufferPointer) {
        let condition = String(decoding: input, as: UTF8.self)
        RuleTarget.load(rule(condition: condition))
    }

    /// The rule file with `condition` as a double-quoted YAML scalar, every character escaped
    /// that YAML would otherwise read differently.
    static func rule(condition: String) -> String {
        var quoted = "\""
        for scalar in condition.unicodeScalars {
            switch scalar.value {
            case 0x22: quoted += "\\\""
            case 0x5C: quoted += "\\\\"
            case 0x20...0x7E: quoted.unicodeScalars.append(scalar)
            case 0...0xFFFF: quoted += "\\u" + hex(scalar.value, digits: 4)
            default: quoted += "\\U" + hex(scalar.value, digits: 8)
            }
        }
        quoted += "\""
        return """
            title: Fuzzed condition
            id: fuzzed_condition
            logsource: {product: openai, service: audit_log}
            detection:
              sel_login:
                type: login.failed
              sel_key:
                type|startswith: api_key.
              selection:
                actor.email|endswith: '@example.com'
              filter_ip:
                actor.ip|cidr: 203.0.113.0/24
              keywords:
                - Berlin
              condition: \(quoted)
            level: low

            """
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
