/// The default theme, compiled in so the binary works without the Themes directory.
/// Must stay identical to Themes/default.yaml (a test checks it).
enum EmbeddedThemes {
    static let defaultYAML = #"""
    # latticetop theme "default": the terminal's own background and palette (ANSI colours only),
    # so it looks native on 16-colour, 256-colour and truecolor terminals alike.
    # Copy to $XDG_CONFIG_HOME/latticetop/themes/NAME.yaml and edit; roles left out fall back.
    name: default
    description: Terminal background and palette with cyan accents.
    styles:
      normal:        { fg: default, bg: default }
      header:        { fg: bright-cyan, bold: true }
      title:         { fg: cyan, bold: true }
      border:        { fg: blue }
      focusedBorder: { fg: bright-cyan }
      tableHeader:   { fg: bright-white, bold: true }
      selectedRow:   { fg: black, bg: cyan }
      markedRow:     { fg: black, bg: yellow }
      healthy:       { fg: green }
      unhealthy:     { fg: bright-red, bold: true }
      warning:       { fg: yellow }
      stale:         { fg: bright-black, italic: true }
      dim:           { fg: bright-black }
      changed:       { fg: bright-yellow, bold: true }
      added:         { fg: bright-green }
      deleted:       { fg: red, dim: true }
      flashInfo:     { fg: bright-green }
      flashError:    { fg: bright-white, bg: red, bold: true }
      banner:        { fg: black, bg: yellow, bold: true }
      hintKey:       { fg: bright-blue, bold: true }
      hintLabel:     { fg: default }
      tabActive:     { fg: black, bg: bright-cyan, bold: true }
      tabInactive:   { fg: white }
      dialog:        { fg: bright-white, bg: blue }
      button:        { fg: black, bg: white }
      focusedButton: { fg: black, bg: bright-cyan, bold: true }
      sparkline:     { fg: cyan }
    """#
}
