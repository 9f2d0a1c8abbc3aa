public import AuditwatchCore
internal import CCurl

/// HTTP over libcurl, used for every outbound request of auditwatch: the `HTTPTransport` of the tool.
///
/// One easy handle per client keeps connections alive between requests. Only http and https are
/// allowed, redirects are never followed, TLS peers are always verified, signals are off (safe in
/// a threaded process), and the proxy comes from configuration only.
public final class HTTPClient: HTTPTransport {
    private let handle: UnsafeMutableRawPointer
    private let options: HTTPClientOptions
    /// Asked about once a second during a transfer (and at its start); `true` aborts it with
    /// `CurlCode.aborted`, so a stopping service never waits out a hung target's timeout.
    public var abortWhen: (@Sendable () -> Bool)?

    public init(options: HTTPClientOptions = HTTPClientOptions()) throws(HTTPError) {
        _ = CurlGlobal.ready
        guard let handle = curl_easy_init() else { throw CurlCode.error(-1, message: "curl_easy_init failed") }
        self.handle = handle
        self.options = options
    }

    deinit { curl_easy_cleanup(handle) }

    /// Performs `request` and returns the response, whatever its status.
    public func perform(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        curl_easy_reset(handle)
        let sink = ResponseSink()
        sink.abortWhen = abortWhen
        if let abortWhen, abortWhen() {
            throw CurlCode.error(CurlCode.aborted, message: "aborted: the service is stopping")
        }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            request.body.withUnsafeBufferPointer { body in
                withExtendedLifetime(sink) {
                    let context = Unmanaged.passUnretained(sink).toOpaque()
                    aw_curl_setopt_string(handle, CURLOPT_URL, request.url)
                    aw_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                    aw_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                    aw_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
                    aw_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
                    aw_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
                    aw_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
                    aw_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, options.connectTimeout)
                    aw_curl_setopt_long(handle, CURLOPT_TIMEOUT, options.totalTimeout)
                    aw_curl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent)
                    aw_curl_setopt_string(handle, CURLOPT_PROXY, options.proxy ?? "")
                    if let bundle = options.caBundlePath { aw_curl_setopt_string(handle, CURLOPT_CAINFO, bundle) }
                    aw_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
                    aw_curl_setopt_write_function(handle) { data, size, count, context in
                        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                        sink.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
                        return size * count
                    }
                    aw_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
                    aw_curl_setopt_header_function(handle) { data, size, count, context in
                        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                        sink.addHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
                        return size * count
                    }
                    aw_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
                    if sink.abortWhen != nil {
                        aw_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
                        aw_curl_setopt_xferinfo_function(handle) { context, _, _, _, _ in
                            let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
                            return sink.abortWhen?() == true ? 1 : 0
                        }
                        aw_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
                    }
                    for header in request.headers {
                        headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
                    }
                    if request.method == .post {
                        aw_curl_setopt_long(handle, CURLOPT_POST, 1)
                        aw_curl_setopt_pointer(
                            handle, CURLOPT_POSTFIELDS,
                            UnsafeMutableRawPointer(mutating: body.baseAddress ?? UnsafePointer(bitPattern: 1)!))
                        aw_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                        // No "Expect: 100-continue" round trip for small JSON bodies.
                        headerList = curl_slist_append(headerList, "Expect:")
                    } else {
                        aw_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
                    }
                    aw_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
                    return curl_easy_perform(handle)
                }
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let fallback = curl_easy_strerror(code).map { String(validatingCString: $0) ?? "" } ?? ""
            throw CurlCode.error(
                Int(code.rawValue), message: HTTPClient.redactingURLs(detail.isEmpty ? fallback : detail))
        }
        var status = 0
        aw_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var retryAfter: curl_off_t = 0
        aw_curl_getinfo_off(handle, CURLINFO_RETRY_AFTER, &retryAfter)
        return HTTPResponse(
            status: status, headers: sink.headers, body: sink.body, retryAfter: retryAfter > 0 ? Int(retryAfter) : nil)
    }

    /// curl's messages can quote the URL, whose path or query may be a credential.
    static func redactingURLs(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word in
            word.contains("://") ? "<url>" : String(word)
        }.joined(separator: " ")
    }
}

/// Collects a response while libcurl delivers it.
private final class ResponseSink {
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var abortWhen: (@Sendable () -> Bool)?

    func addHeaderLine(_ raw: UnsafeRawBufferPointer) {
        let line = String(decoding: raw, as: UTF8.self).trimmingCharacters()
        if line.hasPrefix("HTTP/") {
            headers.removeAll()  // a new response (after 100 Continue): keep only the last
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = String(line[line.index(after: colon)...]).trimmingCharacters()
        headers.append((name, value))
    }
}

/// libcurl's process-wide initialisation, done once before the first handle.
private enum CurlGlobal {
    static let ready: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

private extension String {
    func trimmingCharacters() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
