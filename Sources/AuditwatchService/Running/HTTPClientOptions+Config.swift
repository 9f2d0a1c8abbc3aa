public import AuditwatchConfig
public import AuditwatchHTTP

extension HTTPClientOptions {
    /// The transport settings of `auditwatch.yml`'s `http` section, for every outbound request.
    public init(config: ServiceConfig) {
        self.init()
        connectTimeout = config.connectTimeout
        totalTimeout = config.timeout
        caBundlePath = config.caBundle
        proxy = config.proxy
    }
}
