extension RuleCompiler.FieldContext {
    /// `cidr`: each value an IPv4 or IPv6 network.
    mutating func networkPredicates() -> [ValuePredicate]? {
        guard only([.cidr], "cidr") else { return nil }
        var predicates: [ValuePredicate] = []
        for value in values {
            guard case .string(let text) = value.value, let network = IPNetwork(text) else {
                return fail(
                    "'\(value.value)' is not an IPv4 or IPv6 network (like 192.0.2.0/24 or 2001:db8::/32)",
                    at: value.location)
            }
            // As pySigma (Python's ipaddress): 10.0.0.1/8 is more likely a typo than a network.
            if network.hasHostBits {
                let advice = "write the network's own address, or the host as /32 or /128"
                return fail("'\(text)' has host bits set: \(advice)", at: value.location)
            }
            predicates.append(.cidr(network))
        }
        return predicates
    }
}
