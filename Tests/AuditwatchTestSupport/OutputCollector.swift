public import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Collects what a child process writes to a pipe, in the background, for tests that wait for
/// a line to appear.
///
/// A thread of its own reads the pipe with blocking `read` calls until end of file. Not
/// `FileHandle.readabilityHandler`: on Linux, tearing its dispatch read source down races
/// libdispatch's epoll bookkeeping and crashes the test process now and then inside
/// `_dispatch_event_loop_drain` (swift-corelibs-libdispatch#949, swift-corelibs-foundation#3276;
/// it took one CI run of this suite down). A blocking read registers nothing with libdispatch.
public final class OutputCollector: Sendable {
    /// What the reading thread shares with the collector (it outlives the collector when the
    /// child still writes).
    private final class Sink: Sendable {
        let text = Mutex("")
        let finished = Mutex(false)
    }
    private let sink = Sink()

    /// Starts reading `pipe`. The parent's copy of the writing end must be closed (`Process.run`
    /// closes it), so the child's exit ends the reading thread.
    public init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        let thread = Thread { [sink] in
            // The closure holds the handle, so its descriptor stays open until the thread ends.
            let descriptor = handle.fileDescriptor
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                let text = String(decoding: chunk[..<count], as: UTF8.self)
                sink.text.withLock { $0 += text }
            }
            sink.finished.withLock { $0 = true }
        }
        thread.name = "output-collector"
        thread.start()
    }

    /// Everything read so far.
    public var text: String { sink.text.withLock { $0 } }

    /// True once the writing end was closed by everyone (the child exited) and all was read.
    public var isFinished: Bool { sink.finished.withLock { $0 } }

    /// Waits until `predicate` holds for the text so far, or `limit` seconds pass (a guard
    /// against hanging, never what the test measures).
    @discardableResult
    public func wait(limit: Double = 30, _ predicate: (String) -> Bool) -> Bool {
        eventually(timeout: limit, every: 0.02) { predicate(text) }
    }
}
