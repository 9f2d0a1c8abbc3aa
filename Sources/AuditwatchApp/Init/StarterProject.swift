/// The files `auditwatch init` writes: a starter config, one example rule with its tests, and
/// the CI workflow (the same text as examples/ci/github-actions.yml; a test keeps them equal).
public enum StarterProject {
    public static let files: [(path: String, text: String)] = [
        ("auditwatch.yml", config),
        ("rules/example_owner_invite.yml", rule),
        ("tests/example_owner_invite.yml", tests),
        (".github/workflows/auditwatch-rules.yml", workflow),
        (".gitignore", gitignore),
    ]

    static let config = #"""
        # auditwatch.yml, written by `auditwatch init`: a starter to try auditwatch safely. Alerts go to
        # standard output until you add a real notifier. Every key, with its type and default:
        # `auditwatch config reference` (docs/config.md). Paths are relative to this file.
        rules: [rules]
        state: auditwatch-state.sqlite

        sources:
          my-org:                                   # the organization's name in alerts ("source")
            admin_key: ${OPENAI_ADMIN_KEY}          # an Admin API key, from the environment; never the key itself
            start: 1h                               # how far back the very first poll reads
            # base_url: http://127.0.0.1:8080/v1    # a local stand-in of the API, to try everything offline

        notifiers:
          console:
            type: stdout                            # alert JSON on standard output
          # security-slack:
          #   type: slack
          #   url: ${SLACK_WEBHOOK_URL}
        default_notifiers: [console]
        """#

    static let rule = #"""
        # An example rule, written by `auditwatch init`: make it yours (the company domain), or delete
        # it once you have your own. Sigma's detection syntax; `auditwatch rules explain RULE --event FILE`
        # shows why a rule matches an event or not.
        title: Owner invited with an address outside the company
        id: example_owner_invite_outside_company
        status: experimental
        description: Someone was invited to the organization as an owner with an address outside example.com.
        tags: [attack.persistence, attack.t1136]
        logsource: {product: openai, service: audit_log}
        detection:
          owner_invite:
            type: invite.sent
            details.data.role: owner
          company:
            details.data.email|endswith: "@example.com"
          condition: owner_invite and not company
        falsepositives:
          - A planned handover to an outside administrator
        level: high
        summary: "{actor.email|default:An API key} invited {details.data.email} as owner"
        """#

    static let tests = #"""
        # Tests of rules/example_owner_invite.yml, written by `auditwatch init`:
        # `auditwatch rules test --require-coverage rules tests` runs them (CI does, on every pull request).
        tests:
          - name: an owner invitation to an outside address alerts
            rules: [example_owner_invite_outside_company]
            events:
              - {id: inv-1, type: invite.sent, effective_at: "2026-03-17T16:30:00Z",
                 actor: {type: session, session: {user: {email: erin@example.com}}},
                 invite.sent: {id: invite-1, data: {email: mallory@gmail.com, role: owner}}}
            expect:
              - {rule: example_owner_invite_outside_company, events: [inv-1], summary: "erin@example.com invited mallory@gmail.com as owner"}

          - name: owner invitations inside the company, and member invitations, are silent
            rules: [example_owner_invite_outside_company]
            events:
              - {type: invite.sent, effective_at: "2026-03-17T16:31:00Z", invite.sent: {id: invite-2, data: {email: new.admin@example.com, role: owner}}}
              - {type: invite.sent, effective_at: "2026-03-17T16:32:00Z", invite.sent: {id: invite-3, data: {email: someone@gmail.com, role: member}}}
            expect: []
        """#

    static let gitignore = #"""
        # The state file (windows, positions, alerts, outbox) belongs to the running service, not to git.
        *.sqlite
        *.sqlite-journal
        *.sqlite-wal
        *.sqlite-shm
        *.sqlite.pid
        """#

    static let workflow = #"""
        # .github/workflows/auditwatch-rules.yml in a repository that keeps auditwatch rules
        # (laid out like examples/rules-repo). On every pull request: the rules must load with no
        # warning, every rule must be tested (made to fire and proven silent), and the job summary shows
        # the alerts the change adds, removes or changes over the fixture logs.
        name: auditwatch rules

        on:
          pull_request:
            paths: ["rules/**", "tests/**"]
          push:
            branches: [main]

        jobs:
          rules:
            runs-on: ubuntu-24.04
            env:
              AUDITWATCH_VERSION: "0.1.0"        # the auditwatch release the rules are written for
              # Where your organization keeps auditwatch's release tarballs (`make dist` makes them):
              # set it under Settings → Secrets and variables → Actions → Variables.
              AUDITWATCH_DIST_URL: ${{ vars.AUDITWATCH_DIST_URL }}
            steps:
              - uses: actions/checkout@v4
                with:
                  fetch-depth: 0                   # `rules diff --base` reads the base branch's rules

              - name: Install auditwatch (a release tarball; Swift is linked in, no toolchain needed)
                run: |
                  if [ -z "$AUDITWATCH_DIST_URL" ]; then
                    echo "::error::set the repository variable AUDITWATCH_DIST_URL to where auditwatch-$AUDITWATCH_VERSION-linux-x86_64.tar.gz is kept"
                    exit 1
                  fi
                  sudo apt-get update
                  sudo apt-get install -y --no-install-recommends libcurl4 libyaml-0-2 libsqlite3-0 tzdata
                  curl -fsSL "$AUDITWATCH_DIST_URL/auditwatch-$AUDITWATCH_VERSION-linux-x86_64.tar.gz" | tar -xz -C "$RUNNER_TEMP"
                  echo "$RUNNER_TEMP/auditwatch-$AUDITWATCH_VERSION-linux-x86_64/bin" >> "$GITHUB_PATH"

              - name: Validate (annotations on the changed lines)
                run: auditwatch rules validate --strict --format github rules tests

              - name: Test with coverage
                run: auditwatch rules test --require-coverage --format github --junit rule-tests.xml rules tests

              - name: What this change does
                if: github.event_name == 'pull_request'
                run: auditwatch rules diff --base "origin/${{ github.base_ref }}" --format markdown rules tests >> "$GITHUB_STEP_SUMMARY"

              - uses: actions/upload-artifact@v4
                if: always()
                with:
                  name: rule-tests
                  path: rule-tests.xml
        """#
}
