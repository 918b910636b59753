import Foundation

/// Strings a hostile or broken lattice could send, for terminal-safety tests (`latticetop sim
/// --hostile`): escape and control sequences (CSI, OSC 0/2 title changes, OSC 52 clipboard writes,
/// DCS), 8-bit C1 controls, bidi overrides and zero-width characters, placed in a host's name and
/// labels, a component's and a provider's ID and name, a link name, config values, the events that
/// announce them and the wRPC payloads the spy previews. Every string keeps a readable marker
/// (`EVIL…`) so a test can find where it is drawn.
public enum HostileWorkload {
    /// OSC 0 and OSC 2: set the window title.
    public static let titleOSC0 = "EVILTITLE\u{1B}]0;PWNED-TITLE\u{07}"
    public static let titleOSC2 = "EVILTITLE2\u{1B}]2;PWNED-TITLE2\u{1B}\\"
    /// OSC 52: write the clipboard ("pwned" in base64).
    public static let clipboard = "EVILCLIP\u{1B}]52;c;cHduZWQ=\u{07}"
    /// CSI: clear the screen, home the cursor, red text.
    public static let csi = "EVILCSI\u{1B}[2J\u{1B}[H\u{1B}[31mRED"
    /// DCS (a terminfo query) terminated by ST.
    public static let dcs = "EVILDCS\u{1B}P+q544e\u{1B}\\"
    /// 8-bit C1 controls: CSI (0x9B) and OSC (0x9D) … ST (0x9C).
    public static let c1 = "EVILC1\u{9B}2J\u{9D}0;PWNED-C1\u{9C}"
    /// A right-to-left override that makes `exe.txt` read as `txt.exe`.
    public static let bidi = "EVILBIDI\u{202E}exe.txt\u{202C}"
    /// Zero-width space, word joiner and BOM inside a name.
    public static let zeroWidth = "EVIL\u{200B}Z\u{2060}W\u{FEFF}"

    public static let hostName = "evil-host-" + titleOSC0
    public static let labels = ["evil.label": csi + titleOSC2, "evil.bidi": bidi]
    public static let componentID = "evil_" + zeroWidth + "_component"
    public static let componentName = "evil-component-" + c1
    public static let providerID = "evil-provider-" + bidi
    public static let providerName = "evil-provider-" + dcs
    public static let linkName = "evil-link-" + zeroWidth
    public static let configName = "evil-config"
    public static let config = ["clipboard": clipboard, "title": titleOSC0, "password": "hunter2-EVILSECRET"]
    /// Appended to every wRPC request the simulator sends.
    public static let payload = Data((" " + titleOSC2 + csi).utf8)
}
