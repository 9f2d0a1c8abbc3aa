public import AuditwatchCore
public import Foundation

/// Resolves `SecretReference`s (decoded once, by `SecretReference.decode`). The environment is
/// passed in, so tests never touch the real one.
public struct SecretResolver: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The secret, or a located diagnostic that names the reference (never a value).
    public func resolve(
        _ reference: SecretReference, what: String, at location: SourceLocation, owner: String
    ) -> Result<Secret, Diagnostic> {
        switch reference {
        case .literal(let text):
            return .success(Secret(text))
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                return .failure(
                    .error(
                        "\(what) comes from environment variable \(name), which is not set", at: location, ruleID: owner
                    ))
            }
            return .success(Secret(value))
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                return .failure(
                    .error("\(what) comes from file \(path), which cannot be read", at: location, ruleID: owner))
            }
            let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else {
                return .failure(.error("\(what) file \(path) is empty", at: location, ruleID: owner))
            }
            return .success(Secret(value))
        }
    }

    /// The Admin API key of `source` (polling, `fetch`, `check`).
    public func adminKey(of source: SourceConfig) -> Result<Secret, Diagnostic> {
        resolve(
            source.adminKey, what: "the admin key of source '\(source.name)'", at: source.location, owner: source.name)
    }
}
