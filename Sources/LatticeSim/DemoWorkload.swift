/// The demo lattice's workload, in the shape wadm would deploy it: two apps (hello world over
/// HTTP, and a key-value counter), one unmanaged component, their providers, links and config.
enum DemoWorkload {
    struct ComponentSpec {
        let id: String
        let imageRef: String
        let name: String
        let hosts: [Int]
        let instances: UInt32
        let app: String?
    }

    struct ProviderSpec {
        let id: String
        let imageRef: String
        let name: String
        let host: Int
        let app: String?
    }

    struct LinkSpec {
        let source: String
        let target: String
        let namespace: String
        let package: String
        let interfaces: [String]
        let function: String
        let version: String
        let sourceConfig: [String]
        let targetConfig: [String]
    }

    static let components: [ComponentSpec] = [
        ComponentSpec(id: "rust_hello_world-http_component", imageRef: "ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0",
                      name: "http-hello-world", hosts: [0, 1], instances: 100, app: "rust-hello-world"),
        ComponentSpec(id: "rust_http_kv-counter", imageRef: "ghcr.io/wasmcloud/components/http-keyvalue-counter-rust:0.1.0",
                      name: "http-keyvalue-counter", hosts: [1, 2], instances: 50, app: "rust-http-kv"),
        ComponentSpec(id: "echo-messaging", imageRef: "ghcr.io/wasmcloud/components/echo-messaging-rust:0.1.0",
                      name: "echo-messaging", hosts: [2], instances: 10, app: nil),
    ]

    static let providers: [ProviderSpec] = [
        ProviderSpec(id: "rust_hello_world-httpserver", imageRef: "ghcr.io/wasmcloud/http-server:0.27.0",
                     name: "HTTP Server", host: 0, app: "rust-hello-world"),
        ProviderSpec(id: "rust_http_kv-httpserver", imageRef: "ghcr.io/wasmcloud/http-server:0.27.0",
                     name: "HTTP Server", host: 1, app: "rust-http-kv"),
        ProviderSpec(id: "rust_http_kv-kvredis", imageRef: "ghcr.io/wasmcloud/keyvalue-redis:0.28.2",
                     name: "Redis KeyValue Provider", host: 2, app: "rust-http-kv"),
        ProviderSpec(id: "nats-messaging", imageRef: "ghcr.io/wasmcloud/messaging-nats:0.27.0",
                     name: "NATS Messaging Provider", host: 2, app: nil),
    ]

    static let links: [LinkSpec] = [
        LinkSpec(source: "rust_hello_world-httpserver", target: "rust_hello_world-http_component", namespace: "wasi",
                 package: "http", interfaces: ["incoming-handler"], function: "handle", version: "0.2.0",
                 sourceConfig: ["rust_hello_world-default_http"], targetConfig: []),
        LinkSpec(source: "rust_http_kv-httpserver", target: "rust_http_kv-counter", namespace: "wasi",
                 package: "http", interfaces: ["incoming-handler"], function: "handle", version: "0.2.0",
                 sourceConfig: ["rust_http_kv-default_http"], targetConfig: []),
        LinkSpec(source: "rust_http_kv-counter", target: "rust_http_kv-kvredis", namespace: "wasi",
                 package: "keyvalue", interfaces: ["atomics", "store"], function: "increment", version: "0.2.0-draft",
                 sourceConfig: [], targetConfig: ["rust_http_kv-redis_url"]),
        LinkSpec(source: "nats-messaging", target: "echo-messaging", namespace: "wasmcloud",
                 package: "messaging", interfaces: ["handler"], function: "handle-message", version: "0.2.0",
                 sourceConfig: ["messaging-subscriptions"], targetConfig: []),
    ]

    static let configs: [String: [String: String]] = [
        "rust_hello_world-default_http": ["address": "0.0.0.0:8080"],
        "rust_http_kv-default_http": ["address": "0.0.0.0:8081"],
        "rust_http_kv-redis_url": ["url": "redis://127.0.0.1:6379", "password": "demo-redis-password"],
        "messaging-subscriptions": ["subscriptions": "wasmcloud.echo"],
    ]

    /// What wadm would stamp on what it manages.
    static func annotations(app: String?, scaler: String) -> [String: String] {
        guard let app else { return [:] }
        return [
            "wasmcloud.dev/appspec": app,
            "wasmcloud.dev/managed-by": "wadm",
            "wasmcloud.dev/scaler": scaler,
            "wasmcloud.dev/spread_name": "default",
        ]
    }

    static let labelSets: [[String: String]] = [
        ["zone": "eu-west", "tier": "edge"],
        ["zone": "eu-west", "tier": "core"],
        ["zone": "us-east", "tier": "core"],
    ]
}
