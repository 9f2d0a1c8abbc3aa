public import AuditwatchCore
public import AuditwatchRuleTests

/// JUnit XML, the format CI systems read test results in.
///
/// Valid against both schemas CI tools read: Apache Ant's JUnit schema (every suite carries
/// `package`, `id`, `timestamp` without a zone, `hostname`, `errors`, `time`, `properties`,
/// `system-out` and `system-err`; every failure a `type`; no attributes on `testsuites`) and
/// Jenkins' xunit schema (`properties` holds at least one `property`). A test whose expected
/// alerts differ is a failure; a test that could not run (an unknown rule, a missing fixture) is
/// an error. The test's file and line are in the failure text and the suite's properties.
public enum JUnitReport {
    /// `timestamp`: when the run started, `YYYY-MM-DDTHH:MM:SS` in UTC; `hostname`: the machine.
    public static func xml(
        _ results: [RuleTestResult], renderer: DiagnosticRenderer, fileErrors: [Diagnostic] = [],
        timestamp: String, hostname: String
    ) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        let byFile = Dictionary(grouping: results, by: \.file)
        let files = Array(Set(byFile.keys).union(fileErrors.compactMap { $0.location?.file })).sorted()
        let host = hostname.isEmpty ? "localhost" : hostname
        for (id, file) in files.enumerated() {
            let cases = byFile[file] ?? []
            let mistakes = fileErrors.filter { $0.location?.file == file }
            let errors = cases.filter { !$0.problems.isEmpty }.count + mistakes.count
            let failures = cases.filter { $0.problems.isEmpty && !$0.failures.isEmpty }.count
            let seconds = cases.reduce(0.0) { $0 + $1.seconds }
            xml += "  <testsuite name=\"\(escape(file))\" package=\"\(escape(file))\" id=\"\(id)\""
            xml += " tests=\"\(cases.count + mistakes.count)\" failures=\"\(failures)\" errors=\"\(errors)\""
            xml += " skipped=\"0\" time=\"\(format(seconds))\" timestamp=\"\(timestamp)\""
            xml += " hostname=\"\(escape(host))\">\n"
            xml += "    <properties>\n      <property name=\"file\" value=\"\(escape(file))\"/>\n    </properties>\n"
            for mistake in mistakes {
                let name = "test file: line \(mistake.location?.line ?? 0)"
                xml += "    <testcase classname=\"\(escape(file))\" name=\"\(escape(name))\" time=\"0.000\">\n"
                xml += "      <error type=\"test-file-error\" message=\"\(escape(mistake.message))\">"
                xml += "\(escape(renderer.text(mistake)))</error>\n    </testcase>\n"
            }
            for result in cases {
                xml += "    <testcase classname=\"\(escape(file))\" name=\"\(escape(result.test.name))\""
                xml += " time=\"\(format(result.seconds))\""
                if result.passed {
                    xml += "/>\n"
                    continue
                }
                let at = "\(file):\(result.test.location.line)\n"
                if !result.problems.isEmpty {
                    let body = at + result.problems.map { renderer.text($0) }.joined(separator: "\n")
                    xml += ">\n      <error type=\"test-error\" message=\"\(escape(result.problems[0].message))\">"
                    xml += "\(escape(body))</error>\n    </testcase>\n"
                } else {
                    let message = result.failures.first?.split(separator: "\n").first.map(String.init) ?? "failed"
                    let body = at + result.failures.joined(separator: "\n")
                    xml += ">\n      <failure type=\"alerts-differ\" message=\"\(escape(message))\">"
                    xml += "\(escape(body))</failure>\n    </testcase>\n"
                }
            }
            xml += "    <system-out></system-out>\n    <system-err></system-err>\n  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    static func escape(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\n": output += "&#10;"
            case "\t": output += "&#9;"
            case "\r": output += "&#13;"
            default:
                // XML 1.0 cannot carry the other control characters at all: shown as \u{…}.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    output += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    private static func format(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
