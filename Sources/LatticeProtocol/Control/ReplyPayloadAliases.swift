import Foundation

/// `config.get` reply payload (and `config.put` body): a flat string map.
public typealias ConfigMap = [String: String]

/// `claims.get` reply payload: one flat string map per signed artifact (`iss`/`rev`/`sub` are
/// legacy duplicates of `issuer`/`revision`/`subject`).
public typealias ClaimsList = [[String: String]]
