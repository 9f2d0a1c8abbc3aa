public import AuditwatchConfig
import AuditwatchCore
public import AuditwatchSources

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
