import AuditwatchConsole
import Foundation
import Testing

@testable import AuditwatchReports

@Suite("HTML text: event strings are inert on a page")
struct HTMLTextTests {
    @Test("markup, quotes and ampersands are escaped")
    func escapesMarkup() {
        #expect(HTMLText.escape("<b a=\"1\" c='2'>&</b>") == "&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;&lt;/b&gt;")
    }

    @Test("hostile event text leaves no tag, attribute or bidi override behind")
    func hostileTextIsInert() {
        let escaped = HTMLText.escape(hostileText)
        for raw in ["<script", "<img", "<a ", "\"", "'", "\u{202E}"] {
            #expect(!escaped.contains(raw), "\(raw) survived")
        }
        #expect(escaped.contains("&lt;script&gt;"))
    }

    @Test("counts group thousands", arguments: [(0, "0"), (999, "999"), (1_000, "1,000"), (1_234_567, "1,234,567")])
    func counts(value: Int, text: String) {
        #expect(HTMLText.count(value) == text)
    }
}
