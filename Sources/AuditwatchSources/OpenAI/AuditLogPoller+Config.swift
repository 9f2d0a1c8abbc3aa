import AuditwatchCore
import AuditwatchHTTP

extension AuditLogPoller.Options {
    /// The poller settings a configured source asks for.
    public init(source: SourceConfig) {
        self.init()
        overlap = source.overlap
        initialLookback = source.start
        pageSize = source.pageSize
        eventTypes = source.eventTypes
        projectIDs = source.projectIDs
        tenantEvents = source.tenantEvents
        pagingParameter = source.pagingParameter
    }
}

extension HTTPClientOptions {
    /// The transport settings of `auditwatch.yml`'s `http` section.
    public init(config: ServiceConfig) {
        self.init()
        connectTimeout = config.connectTimeout
        totalTimeout = config.timeout
        caBundlePath = config.caBundle
        proxy = config.proxy
    }
}
