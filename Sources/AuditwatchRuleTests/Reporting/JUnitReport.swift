import AuditwatchCore

/// JUnit XML, the format CI systems read test results in.
public enum JUnitReport {
    public static func xml(_ results: [RuleTestResult], renderer: DiagnosticRenderer) -> String {
        let failures = results.filter { !$0.passed }.count
        let total = results.reduce(0.0) { $0 + $1.seconds }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"auditwatch rules test\" tests=\"\(results.count)\" failures=\"\(failures)\" time=\"\(format(total))\">\n"
        let byFile = Dictionary(grouping: results, by: \.file)
        for file in byFile.keys.sorted() {
            let cases = byFile[file]!
            xml += "  <testsuite name=\"\(escape(file))\" tests=\"\(cases.count)\" failures=\"\(cases.filter { !$0.passed }.count)\">\n"
            for result in cases {
                xml += "    <testcase classname=\"\(escape(file))\" name=\"\(escape(result.test.name))\" file=\"\(escape(file))\" line=\"\(result.test.location.line)\" time=\"\(format(result.seconds))\""
                if result.passed {
                    xml += "/>\n"
                    continue
                }
                let message = result.problems.first?.message ?? result.failures.first?.split(separator: "\n").first.map(String.init) ?? "failed"
                let body = (result.problems.map { renderer.text($0) } + result.failures).joined(separator: "\n")
                xml += ">\n      <failure message=\"\(escape(message))\">\(escape(body))</failure>\n    </testcase>\n"
            }
            xml += "  </testsuite>\n"
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
            default:
                // XML 1.0 cannot carry most control characters at all.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r" { output += "?" } else { output.unicodeScalars.append(scalar) }
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
