extension DisplayWidth {
    /// Splits `text` into lines of at most `width` cells: at `\n`, then between words, and inside
    /// words longer than a line. Tabs become spaces up to the next multiple of 4.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let expanded = expandTabs(String(paragraph))
            if DisplayWidth.of(expanded) <= width {
                lines.append(expanded)
                continue
            }
            var line = ""
            var lineWidth = 0
            for word in expanded.split(separator: " ", omittingEmptySubsequences: false) {
                let wordText = String(word)
                let wordWidth = DisplayWidth.of(wordText)
                let needed = lineWidth == 0 && line.isEmpty ? wordWidth : lineWidth + 1 + wordWidth
                if needed <= width {
                    if !(lineWidth == 0 && line.isEmpty) { line += " " }
                    line += wordText
                    lineWidth = needed
                    continue
                }
                if !line.isEmpty || lineWidth > 0 {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                if wordWidth <= width {
                    line = wordText
                    lineWidth = wordWidth
                    continue
                }
                for character in wordText {   // hard-split a word wider than the line
                    let characterWidth = DisplayWidth.of(String(character))
                    if lineWidth + characterWidth > width && !line.isEmpty {
                        lines.append(line)
                        line = ""
                        lineWidth = 0
                    }
                    line.append(character)
                    lineWidth += characterWidth
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Tabs replaced by spaces up to the next multiple of `tabWidth` cells.
    public static func expandTabs(_ text: String, tabWidth: Int = 4) -> String {
        guard text.utf8.contains(0x09) else { return text }
        var result = ""
        var column = 0
        for character in text {
            if character == "\t" {
                let spaces = tabWidth - column % tabWidth
                result += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                result.append(character)
                column += DisplayWidth.of(String(character))
            }
        }
        return result
    }
}
