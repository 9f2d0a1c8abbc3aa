/// Writes realistic, deterministic audit-log events: the API's shapes, the type mix of an active
/// organization, thousands of users, keys and projects, and injected incidents (brute force,
/// password spray, key bursts, owner invites). The same seed always gives the same bytes, so
/// benchmarks and fixtures are reproducible.
public struct EventGenerator {
    /// SplitMix64: tiny, fast, and the same on every platform.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    /// The type mix (weights in per mille), after performance.md's sample of an active organization.
    static let mix: [(String, Int)] = [
        ("login.succeeded", 210), ("logout.succeeded", 120), ("api_key.created", 70), ("login.failed", 65),
        ("api_key.deleted", 50), ("api_key.updated", 45), ("project.updated", 45), ("invite.sent", 35),
        ("invite.accepted", 30), ("user.updated", 30), ("service_account.created", 25), ("service_account.updated", 20),
        ("service_account.deleted", 20), ("project.created", 25), ("project.archived", 20), ("user.added", 30),
        ("user.deleted", 20), ("invite.deleted", 15), ("organization.updated", 15), ("rate_limit.updated", 15),
        ("logout.failed", 10), ("role.assignment.created", 10), ("tenant.admin_api_key.created", 5),
        ("ip_allowlist.updated", 5),
    ]

    var random: Random
    var time: Int64
    let users: Int, projects: Int, serviceAccounts: Int, keys: Int
    private var counter = 0
    private var pendingIncident: [String] = []
    private let cumulative: [(String, Int)]

    public init(
        seed: UInt64, start: Int64 = 1_773_705_600, users: Int = 4000, projects: Int = 200, serviceAccounts: Int = 300,
        keys: Int = 3000
    ) {
        random = Random(state: seed)
        time = start
        self.users = users
        self.projects = projects
        self.serviceAccounts = serviceAccounts
        self.keys = keys
        var total = 0
        cumulative = EventGenerator.mix.map {
            total += $0.1; return ($0.0, total)
        }
    }

    /// The next event as one JSON line (no newline).
    public mutating func next() -> String {
        if !pendingIncident.isEmpty { return pendingIncident.removeFirst() }
        time += Int64(random.below(3))
        counter += 1
        // About one incident per 2,000 events: a burst, a spray, or a key burst.
        if random.below(2000) == 0 { queueIncident() }
        let pick = random.below(cumulative.last!.1)
        let type = cumulative.first { pick < $0.1 }!.0
        return event(type: type, user: random.below(users), ip: nil, time: time)
    }

    private mutating func queueIncident() {
        let user = random.below(users)
        switch random.below(3) {
        case 0:
            for step in 0..<(6 + random.below(9)) {
                pendingIncident.append(
                    event(
                        type: "login.failed", user: user, ip: "203.0.113.\(random.below(250))",
                        time: time + Int64(step * (5 + random.below(30)))))
            }
        case 1:
            let ip = "198.18.\(random.below(250)).\(random.below(250))"
            for step in 0..<(8 + random.below(10)) {
                pendingIncident.append(
                    event(type: "login.failed", user: random.below(users), ip: ip, time: time + Int64(step * 20)))
            }
        default:
            for step in 0..<(3 + random.below(3)) {
                pendingIncident.append(
                    event(type: "api_key.created", user: user, ip: nil, time: time + Int64(step * 60)))
            }
        }
    }

    private mutating func identifier(_ prefix: String, _ length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var text = prefix
        for _ in 0..<length { text.append(alphabet[random.below(alphabet.count)]) }
        return text
    }

    private mutating func event(type: String, user: Int, ip: String?, time: Int64) -> String {
        counter += 1
        let id = identifier("audit_log-", 24)
        let email = "user\(user)@corp.example"
        let project = random.below(projects)
        var actor: String
        if random.below(10) < 7 || type.hasPrefix("login") || type.hasPrefix("logout") {
            let address = ip ?? "198.51.\(user % 200).\(user % 250)"
            let country = ["US", "DE", "GB", "FR", "JP", "BR", "IN", "CA"][user % 8]
            actor =
                #"{"type":"session","session":{"user":{"id":"user-\#(user)","email":"\#(email)"},"ip_address":"\#(address)","user_agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15","ja3":"a497151ce4338a12c4418c44d375173e","ja4":"t13d1516h2_8daaf6152771_02713d6af862","ip_address_details":{"country":"\#(country)","city":"City \#(user % 50)","region":"Region \#(user % 20)","region_code":"R\#(user % 20)","asn":"\#(1000 + user % 900)","latitude":"37.77490","longitude":"-122.41940"}}}"#
        } else if random.below(2) == 0 {
            actor =
                #"{"type":"api_key","api_key":{"id":"key_\#(random.below(keys))","type":"user","user":{"id":"user-\#(user)","email":"\#(email)"}}}"#
        } else {
            actor =
                #"{"type":"api_key","api_key":{"id":"key_svc\#(random.below(keys))","type":"service_account","service_account":{"id":"svc_acct_\#(random.below(serviceAccounts))"}}}"#
        }
        let detail: String
        switch type {
        case "login.failed", "logout.failed":
            detail = #"{"error_code":"invalid_credentials","error_message":"Invalid username or password"}"#
        case "login.succeeded", "logout.succeeded": detail = "{}"
        case "api_key.created":
            detail = #"{"id":"key_\#(random.below(keys))","data":{"scopes":["api.model.request","api.files.read"]}}"#
        case "api_key.updated":
            detail = #"{"id":"key_\#(random.below(keys))","changes_requested":{"scopes":["api.model.request"]}}"#
        case "invite.sent":
            detail =
                #"{"id":"invite-\#(random.below(100000))","data":{"email":"new\#(random.below(100000))@\#(random.below(20) == 0 ? "gmail.com" : "corp.example")","role":"\#(random.below(30) == 0 ? "owner" : "member")"}}"#
        case "user.updated":
            detail =
                #"{"id":"user-\#(random.below(users))","changes_requested":{"role":"\#(random.below(40) == 0 ? "owner" : "member")"}}"#
        case "user.added", "service_account.created":
            detail =
                #"{"id":"\#(identifier("id_", 12))","data":{"role":"\#(random.below(30) == 0 ? "owner" : "member")"}}"#
        case "rate_limit.updated":
            detail =
                #"{"id":"rl_\#(random.below(100))","changes_requested":{"max_requests_per_1_minute":\#(random.below(20) == 0 ? 100000 : 500),"max_tokens_per_1_minute":\#(random.below(20) == 0 ? 50000000 : 150000)}}"#
        case "project.created":
            detail = #"{"id":"proj_\#(project)","data":{"name":"Project \#(project)","title":"Project \#(project)"}}"#
        case "organization.updated": detail = #"{"id":"org-corp","changes_requested":{"title":"Corp"}}"#
        default: detail = #"{"id":"\#(identifier("id_", 16))"}"#
        }
        let projectPart =
            type.hasPrefix("login") || type.hasPrefix("logout") || type.hasPrefix("invite")
                || type.hasPrefix("organization")
            ? "" : #","project":{"id":"proj_\#(project)","name":"Project \#(project)"}"#
        return
            #"{"id":"\#(id)","object":"organization.audit_log","type":"\#(type)","effective_at":\#(time),"actor":\#(actor)\#(projectPart),"\#(type)":\#(detail)}"#
    }
}
