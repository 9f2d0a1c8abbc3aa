/// Decodes a `detection` block: selections as Sigma defines them, and the condition text.
enum DetectionDecoder {
    static func decode(_ node: DocumentNode, ruleID: String?) -> (detection: Detection?, diagnostics: [Diagnostic]) {
        var reader = MappingReader(node, what: "'detection'", known: nil, ruleID: ruleID)
        guard node.mapping != nil else { return (nil, reader.diagnostics) }
        var selections: [Selection] = []
        var conditions: [Located<String>] = []
        for key in reader.orderedKeys {
            let value = reader[key]!
            let keyLocation = reader.keyLocation(key)!
            switch key {
            case "condition":
                if let scalar = value.scalar, case .string = scalar.resolved {
                    conditions = [Located(scalar.text, at: conditionLocation(value))]
                } else if let items = value.sequence, !items.isEmpty {
                    for item in items {
                        if let scalar = item.scalar, case .string = scalar.resolved {
                            conditions.append(Located(scalar.text, at: conditionLocation(item)))
                        } else {
                            reader.diagnostics.append(
                                .error(
                                    "a condition must be a string, found \(item.kindDescription)", at: item.location,
                                    ruleID: ruleID))
                        }
                    }
                } else {
                    reader.diagnostics.append(
                        .error(
                            "'condition' must be a string or a list of strings, found \(value.kindDescription)",
                            at: value.location, ruleID: ruleID))
                }
            case "timeframe":
                reader.diagnostics.append(
                    .error(
                        "'timeframe' is Sigma 1 aggregation syntax; write a correlation rule (type event_count, timespan) instead",
                        at: keyLocation, ruleID: ruleID))
            default:
                // A selection with errors keeps its name so the condition is still checked
                // against it; the rule is rejected by its errors anyway.
                selections.append(
                    decodeSelection(
                        name: key, value, keyLocation: keyLocation, ruleID: ruleID, diagnostics: &reader.diagnostics)
                        ?? Selection(name: key, alternatives: [], location: keyLocation))
            }
        }
        if reader["condition"] == nil {
            reader.diagnostics.append(.error("missing 'condition' in 'detection'", at: node.location, ruleID: ruleID))
        }
        if selections.isEmpty && !reader.diagnostics.hasErrors {
            reader.diagnostics.append(.error("'detection' has no selections", at: node.location, ruleID: ruleID))
        }
        return (Detection(selections: selections, conditions: conditions, location: node.location), reader.diagnostics)
    }

    /// Where the condition's text begins: one past the opening quote of a quoted scalar.
    private static func conditionLocation(_ node: DocumentNode) -> SourceLocation {
        var location = node.location
        if let style = node.scalar?.style, style == .singleQuoted || style == .doubleQuoted { location.column += 1 }
        return location
    }

    private static func decodeSelection(
        name: String, _ node: DocumentNode, keyLocation: SourceLocation, ruleID: String?,
        diagnostics: inout [Diagnostic]
    ) -> Selection? {
        switch node.content {
        case .mapping:
            return Selection(
                name: name, alternatives: [decodeFieldMap(node, ruleID: ruleID, diagnostics: &diagnostics)],
                location: keyLocation)
        case .sequence(let items):
            guard !items.isEmpty else {
                diagnostics.append(.error("selection '\(name)' is an empty list", at: node.location, ruleID: ruleID))
                return nil
            }
            // A list ORs its items: field maps, and plain values, which are keywords (Sigma's
            // search without a field), gathered into one keyword test.
            var alternatives: [[FieldTest]] = []
            var keywords: [DocumentNode] = []
            for item in items {
                switch item.content {
                case .mapping: alternatives.append(decodeFieldMap(item, ruleID: ruleID, diagnostics: &diagnostics))
                case .scalar: keywords.append(item)
                case .sequence:
                    diagnostics.append(
                        .error(
                            "selection '\(name)' holds a list inside a list; write a list of maps (OR), one map (AND) or a list of keywords",
                            at: item.location, ruleID: ruleID))
                    return nil
                }
            }
            if !keywords.isEmpty {
                let values = keywordValues(keywords, ruleID: ruleID, diagnostics: &diagnostics)
                alternatives.append([
                    FieldTest(field: "", modifiers: [], values: values, isList: true, location: keyLocation)
                ])
            }
            return Selection(name: name, alternatives: alternatives, location: keyLocation)
        case .scalar:
            let values = keywordValues([node], ruleID: ruleID, diagnostics: &diagnostics)
            guard !values.isEmpty else { return nil }
            return Selection(
                name: name,
                alternatives: [
                    [FieldTest(field: "", modifiers: [], values: values, isList: false, location: keyLocation)]
                ], location: keyLocation)
        }
    }

    /// Keyword values: any scalar but null (a keyword searches for text; null has none).
    private static func keywordValues(
        _ items: [DocumentNode], ruleID: String?, diagnostics: inout [Diagnostic]
    ) -> [Located<RuleValue>] {
        var values: [Located<RuleValue>] = []
        for item in items {
            guard let scalar = item.scalar else { continue }
            let value = ruleValue(scalar)
            if value == .null {
                diagnostics.append(
                    .error(
                        "a keyword cannot be null; a keyword is text searched for in the event's values",
                        at: item.location, ruleID: ruleID))
                continue
            }
            values.append(Located(value, at: item.location))
        }
        return values
    }

    /// The field tests of one map; entries with errors are reported and left out.
    private static func decodeFieldMap(
        _ node: DocumentNode, ruleID: String?, diagnostics: inout [Diagnostic]
    ) -> [FieldTest] {
        let reader = MappingReader(node, what: "a selection", known: nil, ruleID: ruleID)
        diagnostics += reader.diagnostics
        var tests: [FieldTest] = []
        for key in reader.orderedKeys {
            let value = reader[key]!
            let location = reader.keyLocation(key)!
            var parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let field = parts.removeFirst()
            // An empty field name ('|all': [...]) makes the values keywords, as in Sigma.
            if parts.contains("") {
                diagnostics.append(.error("empty modifier in '\(key)'", at: location, ruleID: ruleID))
                continue
            }
            func typed() -> [Modifier]? {
                modifiers(parts, field: field, key: key, at: location, ruleID: ruleID, diagnostics: &diagnostics)
            }
            switch value.content {
            case .scalar(let scalar):
                guard let modifiers = typed() else { continue }
                tests.append(
                    FieldTest(
                        field: field, modifiers: modifiers,
                        values: [Located(ruleValue(scalar), at: value.location, style: scalar.style)], isList: false,
                        location: location))
            case .sequence(let items):
                var values: [Located<RuleValue>] = []
                for item in items {
                    guard let scalar = item.scalar else {
                        diagnostics.append(
                            .error(
                                "values of '\(key)' must be scalars, found \(item.kindDescription)", at: item.location,
                                ruleID: ruleID))
                        continue
                    }
                    let itemValue = ruleValue(scalar)
                    if itemValue == .null {
                        diagnostics.append(
                            .error(
                                "null must be its own selection entry ('\(field): null'), not an item of a value list",
                                at: item.location, ruleID: ruleID))
                        continue
                    }
                    values.append(Located(itemValue, at: item.location, style: scalar.style))
                }
                if items.isEmpty {
                    diagnostics.append(
                        .error(
                            "'\(key)' has an empty value list, which can never match", at: value.location,
                            ruleID: ruleID))
                    continue
                }
                guard let modifiers = typed() else { continue }
                tests.append(
                    FieldTest(field: field, modifiers: modifiers, values: values, isList: true, location: location))
            case .mapping:
                diagnostics.append(
                    .error(
                        "the value of '\(key)' must be a value or a list of values, found a mapping",
                        at: value.location, ruleID: ruleID))
            }
        }
        return tests
    }

    /// The typed modifiers of one entry, or nil after reporting why they are refused. The field is
    /// checked first (a bad path, a name no documented event carries), as a reader goes left to right.
    private static func modifiers(
        _ names: [String], field: String, key: String, at location: SourceLocation, ruleID: String?,
        diagnostics: inout [Diagnostic]
    ) -> [Modifier]? {
        var keyName = key
        if field.isEmpty {
            // A keyword is compiled as a `contains` search unless it places or encodes the value itself.
            let shaping: Set<String> = ["contains", "startswith", "endswith", "re", "base64", "base64offset"]
            keyName = "|" + (names + (Set(names).isDisjoint(with: shaping) ? ["contains"] : [])).joined(separator: "|")
        } else {
            let path: FieldPath
            do throws(FieldPathError) { path = try FieldPath(field) } catch {
                diagnostics.append(.error(error.message, at: location, ruleID: ruleID))
                return nil
            }
            if !EventSchema.isDocumented(path) {
                diagnostics.append(
                    .warning(
                        "no documented event type carries '\(field)'\(EventSchema.suggestion(for: path))",
                        at: location, ruleID: ruleID))
            }
        }
        do throws(ModifierError) {
            return try Modifier.chain(names, isKeyword: field.isEmpty, keyName: keyName)
        } catch {
            diagnostics.append(.error(error.message, at: location, ruleID: ruleID))
            return nil
        }
    }

    private static func ruleValue(_ scalar: DocumentNode.Scalar) -> RuleValue {
        switch scalar.resolved {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .string(let text): return .string(text)
        }
    }
}
