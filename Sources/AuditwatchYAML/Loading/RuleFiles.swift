import Foundation

/// Finds rule files: a file as given, or every `*.yml`/`*.yaml` below a directory, sorted so
/// loading order (and so alert order) never depends on the file system. Hidden entries and
/// folders named `fixtures` (test data, such as pinned calendars) are not rules.
enum RuleFiles {
    struct Problem: Error { var message: String }

    static func find(_ path: String) -> Swift.Result<[String], Problem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Problem(message: "no such rule file or directory: '\(path)'"))
        }
        guard isDirectory.boolValue else { return .success([path]) }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            return .failure(Problem(message: "cannot list rule directory '\(path)'"))
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            // The enumerator's paths never end in "/": the name is what follows the last one.
            let name = relative.lastIndex(of: "/").map { String(relative[relative.index(after: $0)...]) } ?? relative
            if name.hasPrefix(".") || name == "fixtures" { enumerator.skipDescendants(); continue }
            guard name.hasSuffix(".yml") || name.hasSuffix(".yaml") else { continue }
            let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
            var childIsDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue
            {
                files.append(full)
            }
        }
        return .success(files.sorted())
    }
}
