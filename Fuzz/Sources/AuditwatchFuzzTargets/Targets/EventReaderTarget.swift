import AuditwatchCore
import AuditwatchSources

/// The event reader over a file holding the input, in each of its reading modes.
enum EventReaderTarget {
    private static let scratch = ScratchFile(suffix: "events.jsonl")

    static func run(_ input: UnsafeRawBufferPointer) {
        scratch.write(input)
        var lenientEvents: [Event] = []
        var positions: [EventReader.Position] = []
        let lenient = EventReader(path: scratch.path)
        let lenientResult = Result { () throws(InputProblem) in
            try lenient.read(
                from: nil, onProblem: { _ in },
                onEvent: { event, position in
                    lenientEvents.append(event)
                    positions.append(position)
                })
        }
        // Strict mode stops at the first problem; until then it reads what lenient mode reads.
        var strictCount = 0
        let strict = EventReader(path: scratch.path)
        let strictResult = Result { () throws(InputProblem) in
            try strict.read(strict: true, onProblem: { _ in }, onEvent: { _ in strictCount += 1 })
        }
        if case .success = strictResult {
            precondition(lenient.skippedCount == 0, "strict mode read what lenient mode skipped")
            precondition(strictCount == lenientEvents.count, "strict and lenient modes read different events")
        }
        // Shared documents change where events live, never what they are.
        var sharedIDs: [String] = []
        let shared = EventReader(path: scratch.path)
        shared.sharesDocuments = true
        var sinceDetach = 0
        _ = Result { () throws(InputProblem) in
            try shared.read(
                onProblem: { _ in },
                onEvent: { event in
                    sharedIDs.append(event.id)
                    sinceDetach += 1
                    if sinceDetach == 2 { shared.detachDocument(); sinceDetach = 0 }
                })
        }
        if case .success = lenientResult {
            precondition(sharedIDs == lenientEvents.map(\.id), "shared documents read different events")
        }
        // Resuming after the first event of a resumable position reads the rest.
        if let first = positions.first, first.isResumable {
            var rest = 0
            let resumed = EventReader(path: scratch.path)
            _ = try? resumed.read(from: first, onProblem: { _ in }, onEvent: { _, _ in rest += 1 })
            precondition(rest <= positions.count, "a resume read more events than the whole file holds")
        }
        let ruleSet = FuzzFixtures.shippedRules
        for event in lenientEvents.prefix(16) { _ = ruleSet.matches(event) }
    }
}
