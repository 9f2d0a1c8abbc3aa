import AuditwatchCore
import AuditwatchState
import AuditwatchTestSupport
import Foundation
import Testing

/// The stores every store suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgresql
    var testDescription: String { rawValue }
}

/// A fresh, empty store of one kind, that can be opened again (a restart, or another connection).
struct StoreFixture: Sendable {
    let location: String

    init(_ kind: StoreKind) throws {
        switch kind {
        case .sqlite:
            location = try makeTemporaryDirectory("aw-state").appendingPathComponent("state.sqlite").path
        case .postgresql:
            let server = try #require(
                PostgresScope.server, "a PostgreSQL store test must run in a suite with the .postgresServer trait")
            location = try server.createDatabase()
        }
    }

    func open() throws -> any StateStore { try StoreLocation(location).open() }
}

/// Starts one throwaway PostgreSQL server for a suite and stops it when the suite ends; each
/// test makes a database of its own on it (`StoreFixture`).
struct PostgresScope: SuiteTrait, TestScoping {
    @TaskLocal static var server: PostgresServer?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try PostgresServer()
        defer { server.stop() }
        try await PostgresScope.$server.withValue(server) { try await function() }
    }
}

extension Trait where Self == PostgresScope {
    /// A PostgreSQL server for the suite's tests.
    static var postgresServer: Self { PostgresScope() }
}

func sampleAlert(_ id: String, at: Int64 = 10) -> Alert {
    Alert(
        id: id, ruleID: "r", ruleTitle: "Rule", level: .high, tags: ["t.x"],
        group: [GroupValue(field: "actor.email", value: "a@x")],
        count: 2, firstAt: at - 5, lastAt: at, eventIDs: ["e1", "e2"], summary: "s")
}
