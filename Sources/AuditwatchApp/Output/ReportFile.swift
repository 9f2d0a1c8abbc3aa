import Foundation

/// Writes an HTML report atomically (a reader never sees half a file); a failure is a setup error.
enum ReportFile {
    static func write(_ html: String, to path: String) throws(AppError) {
        do {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .setup("cannot write the report to \(path): \(error.localizedDescription)")
        }
    }
}
