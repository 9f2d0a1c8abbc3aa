import AuditwatchCore

/// `auditwatch schema`: the documented event types, the fields of one type, or the types that
/// carry a field; an undocumented type or field is an `AppError.failure` with a did-you-mean.
public enum SchemaQuery {
    public static func types(out: any LineOutput) {
        let count = EventSchema.documentedTypesInOrder.count
        out.line("\(count) documented event types (auditwatch schema TYPE for its fields):")
        EventSchema.documentedTypesInOrder.forEach { out.line("  " + $0) }
        out.flush()
    }

    public static func fields(of type: String, out: any LineOutput) throws(AppError) {
        guard let details = EventSchema.detailPaths(of: type) else {
            throw .failure("'\(type)' is not a documented event type\(EventSchema.closestType(to: type))")
        }
        out.line("\(type)")
        out.line("  its own fields (also readable as details.<field>):")
        if details.isEmpty { out.line("    (none documented)") }
        details.forEach { out.line("    " + $0) }
        out.line("  fields every event carries:")
        EventSchema.common.forEach { out.line("    " + $0) }
        out.flush()
    }

    public static func carriers(of field: String, out: any LineOutput) throws(AppError) {
        let carriers = EventSchema.types(carrying: field)
        guard !carriers.isEmpty else {
            let suggestion = (try? FieldPath(field)).map(EventSchema.suggestion) ?? ""
            throw .failure("no documented event type carries '\(field)'\(suggestion)")
        }
        if carriers.count == EventSchema.documentedTypesInOrder.count {
            out.line("\(field): every event type carries it (a common field)")
        } else {
            out.line("\(field) is carried by \(carriers.count) event type\(carriers.count == 1 ? "" : "s"):")
            carriers.forEach { out.line("  " + $0) }
        }
        out.flush()
    }
}
