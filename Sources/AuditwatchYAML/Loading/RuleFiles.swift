import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Finds rule files: a file as given, or every `*.yml`/`*.yaml` below a directory, sorted so
/// loading order (and so alert order) never depends on the file system. Hidden entries and
/// folders named `fixtures` (test data, such as pinned calendars) are not rules.
///
/// The walk reads directories with `opendir`/`readdir`: FileManager's enumerator cost about
/// 57 k instructions per file (a tenth of the start-up with 1,000 rules, docs/performance.md).
/// It keeps the enumerator's rules: a symbolic link to a directory is not followed, one to a file
/// is a rule file, a dangling one is not, and a directory named `x.yml` is walked, not read.
enum RuleFiles {
    struct Problem: Error { var message: String }

    static func find(_ path: String) -> Swift.Result<[String], Problem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Problem(message: "no such rule file or directory: '\(path)'"))
        }
        guard isDirectory.boolValue else { return .success([path]) }
        var files: [String] = []
        let top = path.hasSuffix("/") ? String(path.dropLast()) : path
        if let unreadable = walk(top, prefix: path.hasSuffix("/") ? path : path + "/", into: &files) {
            return .failure(Problem(message: "cannot list rule directory '\(unreadable)'"))
        }
        return .success(files.sorted())
    }

    /// Adds the rule files below `directory` (its entries named `prefix` + name); returns the
    /// first directory that could not be read, if any (loading fails closed on it).
    private static func walk(_ directory: String, prefix: String, into files: inout [String]) -> String? {
        guard let stream = opendir(directory) else { return directory }
        defer { closedir(stream) }
        while true {
            // NULL ends the listing, or reports an error in errno: a listing cut short fails.
            errno = 0
            guard let entry = readdir(stream) else { return errno == 0 ? nil : directory }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") || name == "fixtures" { continue }  // also "." and ".."
            let full = prefix + name
            var kind = entry.pointee.d_type
            if kind == UInt8(DT_UNKNOWN) {
                // Some file systems leave the type out: ask without following a link.
                var info = stat()
                guard lstat(full, &info) == 0 else { continue }
                kind = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
            }
            if kind == UInt8(DT_DIR) {
                if let unreadable = walk(full, prefix: full + "/", into: &files) { return unreadable }
                continue
            }
            guard name.hasSuffix(".yml") || name.hasSuffix(".yaml") else { continue }
            // Following a link here: one to a file is read, a dangling one or one to a directory is not.
            var info = stat()
            guard stat(full, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { continue }
            files.append(full)
        }
    }
}
