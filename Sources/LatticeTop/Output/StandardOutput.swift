import Foundation
import Synchronization

/// Standard output and standard error for headless commands, written with `write(2)` so that a
/// reader that went away is an answer, not a crash: with SIGPIPE ignored (the executable's `main` does that), a
/// write to a pipe nobody reads fails with EPIPE, the stream is marked closed, every later write is
/// a no-op, and `StopRequest` is told `.readerGone` so the command stops and cleans up.
/// (Foundation's `FileHandle.write(_:)` traps on such an error.)
final class StandardOutput: Sendable {
    static let out = StandardOutput(fd: STDOUT_FILENO, stopsOnClose: true)
    static let err = StandardOutput(fd: STDERR_FILENO, stopsOnClose: false)

    /// How a stream ended: nil while writable.
    enum Failure: Equatable, Sendable {
        /// EPIPE (or a hung-up socket / pipe): the reader has gone.
        case readerGone
        /// Any other write error (a full disk, EIO): worth one line on stderr.
        case error(Int32)
    }

    let fd: Int32
    private let stopsOnClose: Bool
    private let state = Mutex<Failure?>(nil)

    init(fd: Int32, stopsOnClose: Bool) {
        self.fd = fd
        self.stopsOnClose = stopsOnClose
    }

    /// Why the stream stopped taking output, nil while it still does.
    var failure: Failure? { state.withLock { $0 } }

    /// Writes all of `text`; false once the stream is closed (nothing more will be written).
    @discardableResult
    func write(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes all of `bytes`; false once the stream is closed.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Writes all of `buffer`, retrying after EINTR and waiting when the descriptor is
    /// non-blocking and full; false once the stream is closed.
    @discardableResult
    func write(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard failure == nil else { return false }
        guard var base = buffer.baseAddress else { return true }
        var left = buffer.count
        while left > 0 {
            let n = Glibc.write(fd, base, left)
            if n >= 0 {
                base += n
                left -= n
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN:
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, 100)
            case EPIPE, ECONNRESET:
                markClosed(.readerGone)
                return false
            case let code:
                markClosed(.error(code))
                return false
            }
        }
        return true
    }

    /// The one line a command prints when output failed for another reason than the reader
    /// leaving; nil when it did not fail or the reader left (which is not an error).
    var errorMessage: String? {
        guard case .error(let code) = failure else { return nil }
        return "cannot write to standard \(fd == STDOUT_FILENO ? "output" : "error"): \(String(cString: strerror(code)))"
    }

    private func markClosed(_ reason: Failure) {
        let first = state.withLock { s -> Bool in
            guard s == nil else { return false }
            s = reason
            return true
        }
        if first && stopsOnClose { StopRequest.shared.request(.readerGone) }
    }

    /// Watches a pipe or socket for its reader going away while nothing is written (a `spy` or
    /// `events` on a quiet lattice, `sim` after its banner): Linux reports POLLERR on a pipe's write
    /// end once every reader has closed it, POLLHUP on a socket whose peer hung up. Regular files and
    /// terminals are not watched (a terminal that goes away sends SIGHUP).
    func watchReader() {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return }
        let type = info.st_mode & S_IFMT
        guard type == S_IFIFO || type == S_IFSOCK else { return }
        let fd = self.fd
        let thread = Thread { [self] in
            var p = pollfd(fd: fd, events: 0, revents: 0)
            while true {
                let r = poll(&p, 1, -1)
                if r < 0 && errno == EINTR { continue }
                if r > 0 && p.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { break }
                if r < 0 { return }
            }
            markClosed(.readerGone)
        }
        thread.name = "stdout-reader-watch"
        thread.start()
    }
}
