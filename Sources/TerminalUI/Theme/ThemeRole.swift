/// What a style is for. Theme files name roles by their raw value.
public enum ThemeRole: String, CaseIterable, Sendable, Hashable {
    /// Plain text and the screen background; every role falls back to it.
    case normal
    /// The top header line (context, lattice, connection).
    case header
    /// Pane titles in borders.
    case title
    case border
    case focusedBorder
    case tableHeader
    case selectedRow
    /// Rows marked for a bulk action.
    case markedRow
    case healthy
    case unhealthy
    case warning
    /// Data that has not been refreshed for a while.
    case stale
    case dim
    /// Values that changed since the last refresh.
    case changed
    case added
    case deleted
    case flashInfo
    case flashError
    /// A full-width notice (e.g. "connection lost, reconnecting").
    case banner
    case hintKey
    case hintLabel
    case tabActive
    case tabInactive
    case dialog
    case button
    case focusedButton
    case sparkline

    /// The role a missing role takes its style from.
    public var fallback: ThemeRole? {
        switch self {
        case .normal: nil
        case .focusedBorder: .border
        case .markedRow: .selectedRow
        case .stale: .dim
        case .added: .healthy
        case .deleted: .unhealthy
        case .flashInfo: .healthy
        case .flashError: .unhealthy
        case .tabActive: .title
        case .tabInactive: .hintLabel
        case .focusedButton: .selectedRow
        case .button: .dialog
        default: .normal
        }
    }
}
