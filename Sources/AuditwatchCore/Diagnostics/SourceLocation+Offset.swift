extension SourceLocation {
    /// Where the scalar at `offset` (in Unicode scalars) of a YAML scalar's decoded `text` was
    /// written, given the scalar's style and this location at its start (the opening quote for a
    /// quoted one). Escapes in double quotes are assumed to be the short ones (`\\`, `\"`, `\n`);
    /// block scalars keep their header's location, since their indentation is not recorded.
    func advanced(byScalars offset: Int, in text: String, style: DocumentNode.Scalar.Style?) -> SourceLocation {
        var result = self
        let before = text.unicodeScalars.prefix(offset)
        switch style {
        case .literal?, .folded?:
            return result
        case .singleQuoted?:
            result.column += 1 + offset + before.filter { $0 == "'" }.count
        case .doubleQuoted?:
            result.column +=
                1
                + before.reduce(0) { width, scalar in
                    width + (scalar == "\\" || scalar == "\"" || scalar.value < 0x20 ? 2 : 1)
                }
        case .plain?, nil:
            result.column += offset
        }
        return result
    }
}
