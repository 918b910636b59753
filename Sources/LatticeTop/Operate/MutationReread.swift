import LatticeMonitor

extension LatticeMonitor {
    /// After mutations, re-reads the hosts they went to and, for link changes, the links: events
    /// alone can leave the model wrong (the scale-0 that ends a `component.update`, a `link.del`
    /// that publishes nothing), a fresh inventory does not.
    func reread(after outcomes: [MutationOutcome]) {
        var hosts = Set<String>()
        var links = false
        for outcome in outcomes where outcome.sent {
            switch outcome.action {
            case .stopHost: continue
            case .putLink, .deleteLink: links = true
            default: break
            }
            if let host = outcome.action.hostID { hosts.insert(host) }
        }
        reread(hosts: hosts, links: links)
    }
}
