import AuditwatchConfig
import AuditwatchCore

/// `auditwatch.yml`: the loader the tool runs (file, YAML, `ConfigDecoder`), then the notifier
/// settings resolved from it.
enum ConfigTarget {
    private static let scratch = ScratchFile(suffix: "auditwatch.yml")

    static func run(_ input: UnsafeRawBufferPointer) {
        scratch.write(input)
        let loaded = ConfigLoader.load(scratch.path)
        let renderer = DiagnosticRenderer(sources: loaded.sources)
        for diagnostic in loaded.diagnostics.prefix(8) { _ = renderer.text(diagnostic) }
        guard let config = loaded.config else { return }
        // A secret in a file names any path; reading /dev/zero or a FIFO is not the parser's
        // business, so such configs stop here. Environment references resolve against nothing.
        for notifier in config.notifiers {
            for reference in [notifier.url, notifier.routingKey, notifier.signingSecret] {
                if case .file? = reference { return }
            }
        }
        _ = NotifierSettings.resolve(config, resolver: SecretResolver(environment: [:]))
    }
}
