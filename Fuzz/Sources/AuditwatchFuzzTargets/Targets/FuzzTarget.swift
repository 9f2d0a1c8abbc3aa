/// The fuzz targets: each reads one kind of untrusted text through the same public entry point
/// the tool uses. libFuzzer drivers (`Fuzz/Drivers`) and the corpus replay tests call `run`.
///
/// A target returns normally for every input, valid or not: a rejected input is a diagnostic, not
/// a failure. Anything else — a trap, a sanitizer report, a broken invariant (`precondition`) —
/// is a finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `JSONDocument` parsing, every reader on every node, a serialize round trip, `Event`, and
    /// the shipped rule pack matched against the event.
    case json
    /// `EventReader` over a file holding the input: format detection, JSON Lines, arrays, list
    /// responses, strict and shared-document modes.
    case events
    /// `LinearRegex`: first byte the options, then pattern, a NUL, the subject.
    case regex
    /// `YAMLDocumentReader` (libyaml) and a walk of the tree.
    case yaml
    /// `RuleLoader.load(text:)`: rule, correlation, filter and calendar decoding, condition
    /// parsing, regex compiling, then matching the compiled rules against sample events.
    case rules
    /// The input as the `condition` of a rule with a fixed set of selections.
    case condition
    /// `auditwatch.yml`: `ConfigLoader.load` (YAML and `ConfigDecoder`) and the notifier clients.
    case config

    /// Feeds one input to the target.
    public func run(_ input: UnsafeRawBufferPointer) {
        switch self {
        case .json: JSONTarget.run(input)
        case .events: EventReaderTarget.run(input)
        case .regex: RegexTarget.run(input)
        case .yaml: YAMLTarget.run(input)
        case .rules: RuleTarget.run(input)
        case .condition: ConditionTarget.run(input)
        case .config: ConfigTarget.run(input)
        }
    }

    /// Feeds one input to the target.
    public func run(_ input: [UInt8]) {
        input.withUnsafeBytes { run($0) }
    }
}
