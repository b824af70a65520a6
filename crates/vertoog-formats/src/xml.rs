//! Plain XML escaping for the GraphML and GEXF writers (docs/interfaces.md §9, security: output
//! escaping). Characters XML 1.0 forbids (most control characters) become U+FFFD.

/// Whether XML 1.0 allows `c` in a document.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes element text: `&`, `<`, `>`; forbidden characters become U+FFFD.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value (for double quotes): also `"`, `'`, and tab, line feed and
/// carriage return as character references so that parsers keep them (attribute value
/// normalisation would turn them into spaces).
pub(crate) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use quick_xml::events::Event;
    use quick_xml::Reader;

    /// Parsed XML: (element name, attributes unescaped) in document order, and the unescaped
    /// text of every element, for tests of the GraphML and GEXF writers.
    pub(crate) struct Doc {
        pub elements: Vec<(String, Vec<(String, String)>)>,
        pub texts: Vec<String>,
    }

    impl Doc {
        pub fn count(&self, name: &str) -> usize {
            self.elements.iter().filter(|(n, _)| n == name).count()
        }
        pub fn attrs_of(&self, name: &str) -> Vec<&Vec<(String, String)>> {
            self.elements
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, a)| a)
                .collect()
        }
    }

    pub(crate) fn attr_value<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Parses a whole document with quick-xml, failing on any well-formedness error.
    pub(crate) fn parse(xml: &str) -> Doc {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut doc = Doc {
            elements: Vec::new(),
            texts: Vec::new(),
        };
        let mut depth = 0i32;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("well-formed attribute");
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.unescape_value().expect("valid escapes").into_owned(),
                            )
                        })
                        .collect();
                    doc.elements.push((name, attrs));
                }
                Ok(Event::Text(t)) => {
                    let s = t.unescape().expect("valid text").into_owned();
                    if !s.trim().is_empty() {
                        doc.texts.push(s);
                    }
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
            }
            depth += 1;
            assert!(depth < 1_000_000);
        }
        doc
    }

    #[test]
    fn escapes() {
        assert_eq!(text("a<b & c>"), "a&lt;b &amp; c&gt;");
        assert_eq!(attr("\"x\"\n'y'"), "&quot;x&quot;&#10;&apos;y&apos;");
        assert_eq!(text("bel\u{7}"), "bel\u{FFFD}");
        let doc = parse(&format!(
            "<r a=\"{}\">{}</r>",
            attr("<&\"\n"),
            text("é & <")
        ));
        assert_eq!(attr_value(&doc.elements[0].1, "a"), Some("<&\"\n"));
        assert_eq!(doc.texts, ["é & <"]);
    }
}
