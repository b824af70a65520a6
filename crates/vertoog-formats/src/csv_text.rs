//! Low-level CSV: a strict RFC 4180 record reader that reports bad quoting with its line, the
//! field quoting of the writer, the spreadsheet formula rule and `;`-separated lists.

use std::borrow::Cow;

/// One record as read: the 1-based physical line it starts on, its fields, the byte offset
/// just after it, and the first quoting problem found in it (with the field's index). A field
/// borrows the text unless it had to be unescaped (a doubled quote, text after a closing
/// quote).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawRecord<'a> {
    pub line: u64,
    pub fields: Vec<Cow<'a, str>>,
    pub end: usize,
    pub error: Option<(usize, String)>,
}

impl RawRecord<'_> {
    /// A record whose every field is empty or white space (an empty line, or `,,,` as
    /// spreadsheet programs write for empty rows): skipped by the importer.
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Reads records of RFC 4180 CSV: fields separated by `,`, records by CRLF, LF or CR; a field
/// that starts with `"` is quoted, may hold separators and line breaks, and doubles `"`
/// inside. A `"` inside an unquoted field, text after a closing quote, and a quote never
/// closed are errors of the record (the reader then goes on with the next record).
///
/// Every byte that ends or escapes a field is ASCII, so the reader scans bytes and takes the
/// text between them as slices (always on character boundaries).
pub(crate) struct RecordReader<'a> {
    text: &'a str,
    pos: usize,
    line: u64,
}

enum Sep {
    Field,
    Record,
}

/// Appends `part` to a field: the field borrows it when it is still empty.
fn extend<'a>(field: &mut Cow<'a, str>, part: &'a str) {
    if field.is_empty() {
        *field = Cow::Borrowed(part);
    } else if !part.is_empty() {
        field.to_mut().push_str(part);
    }
}

impl<'a> RecordReader<'a> {
    pub fn new(text: &'a str) -> Self {
        RecordReader {
            text,
            pos: 0,
            line: 1,
        }
    }

    /// A reader of `text` from byte `pos`, where a record starts on line `line`.
    pub fn at(text: &'a str, pos: usize, line: u64) -> Self {
        RecordReader { text, pos, line }
    }

    /// The byte offset of the next record and the line it starts on.
    pub fn cursor(&self) -> (usize, u64) {
        (self.pos, self.line)
    }

    /// Consumes a line break whose first byte `c` (at `pos - 1`) is consumed: `\r\n`, `\n`
    /// or `\r`.
    fn finish_newline(&mut self, c: u8) {
        if c == b'\r' && self.text.as_bytes().get(self.pos) == Some(&b'\n') {
            self.pos += 1;
        }
        self.line += 1;
    }

    /// Scans the rest of an unquoted field; a `"` in it is an error (and kept in the field).
    fn scan_unquoted(
        &mut self,
        field: &mut Cow<'a, str>,
        index: usize,
        error: &mut Option<(usize, String)>,
    ) -> Sep {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut i = start;
        loop {
            while i < bytes.len() && !matches!(bytes[i], b',' | b'\r' | b'\n' | b'"') {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'"' {
                if error.is_none() {
                    *error = Some((
                        index,
                        "a quote (\") inside an unquoted field; put the whole field in \
                         quotes and double each quote inside it (\"\")"
                            .to_string(),
                    ));
                }
                i += 1;
                continue;
            }
            extend(field, &self.text[start..i]);
            let Some(&c) = bytes.get(i) else {
                self.pos = i;
                return Sep::Record;
            };
            self.pos = i + 1;
            if c == b',' {
                return Sep::Field;
            }
            self.finish_newline(c);
            return Sep::Record;
        }
    }

    /// Scans a quoted field after its opening quote.
    fn scan_quoted(
        &mut self,
        field: &mut Cow<'a, str>,
        index: usize,
        error: &mut Option<(usize, String)>,
    ) -> Sep {
        let opened_on = self.line;
        let bytes = self.text.as_bytes();
        loop {
            let start = self.pos;
            let mut i = start;
            while i < bytes.len() && bytes[i] != b'"' {
                i += 1;
            }
            let part = &self.text[start..i];
            self.line += part.bytes().filter(|&b| b == b'\n').count() as u64;
            extend(field, part);
            if i == bytes.len() {
                self.pos = i;
                if error.is_none() {
                    *error = Some((
                        index,
                        format!("the quote that opens on line {opened_on} is never closed"),
                    ));
                }
                return Sep::Record;
            }
            // The quote at i closes the field or, doubled, stands for one quote.
            self.pos = i + 1;
            match bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    field.to_mut().push('"');
                }
                None => return Sep::Record,
                Some(b',') => {
                    self.pos += 1;
                    return Sep::Field;
                }
                Some(&c @ (b'\r' | b'\n')) => {
                    self.pos += 1;
                    self.finish_newline(c);
                    return Sep::Record;
                }
                Some(_) => {
                    if error.is_none() {
                        *error = Some((
                            index,
                            "text after the closing quote of a field; inside a quoted \
                             field write each quote twice (\"\")"
                                .to_string(),
                        ));
                    }
                    return self.scan_unquoted(field, index, error);
                }
            }
        }
    }
}

impl<'a> Iterator for RecordReader<'a> {
    type Item = RawRecord<'a>;

    fn next(&mut self) -> Option<RawRecord<'a>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let line = self.line;
        let mut fields = Vec::new();
        let mut error = None;
        loop {
            let mut field = Cow::Borrowed("");
            let index = fields.len();
            let sep = if self.text.as_bytes().get(self.pos) == Some(&b'"') {
                self.pos += 1;
                self.scan_quoted(&mut field, index, &mut error)
            } else {
                self.scan_unquoted(&mut field, index, &mut error)
            };
            fields.push(field);
            if let Sep::Record = sep {
                break;
            }
        }
        Some(RawRecord {
            line,
            fields,
            end: self.pos,
            error,
        })
    }
}

/// Writes one field, quoted when it holds `,`, `"`, CR or LF (RFC 4180).
pub(crate) fn push_field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\r', '\n']) {
        out.push('"');
        for c in value.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Writes one record terminated by `\n`.
pub(crate) fn push_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, f.as_ref());
    }
    out.push('\n');
}

/// Characters that make a spreadsheet program run a cell as a formula (`=`, `+`, `-`, `@`,
/// and tab and carriage return as OWASP lists them), plus `'` itself so the rule is reversible.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// The spreadsheet formula rule on export (docs/interfaces.md §9, security): a text cell that starts with
/// `=`, `+`, `-`, `@`, tab, carriage return or `'` is written with a leading `'`.
/// [`restore_formula_cell`] undoes it. Numbers, ids and dates are never passed through this.
pub fn neutralise_formula_cell(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// The formula rule on import: one leading `'` of a text cell is removed.
pub fn restore_formula_cell(value: &str) -> &str {
    value.strip_prefix('\'').unwrap_or(value)
}

/// Joins list items (`aliases`, `tags`) with `;`. A `;` inside an item is written `\;` and a
/// backslash `\\`, so every list survives a round trip.
pub fn join_list(items: &[String]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        for c in item.chars() {
            if c == ';' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Splits a `;`-separated list cell: `\;` is a `;` inside an item, `\\` a backslash, any
/// other backslash is kept as it is. Items are trimmed; empty items are dropped.
pub fn split_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&n @ (';' | '\\')) => {
                    cur.push(n);
                    chars.next();
                }
                _ => cur.push('\\'),
            },
            ';' => items.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    items.push(cur);
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<RawRecord<'_>> {
        RecordReader::new(text).collect()
    }

    #[test]
    fn quoted_fields_with_separators_and_line_breaks() {
        let r = read("a,b\n\"x,1\",\"say \"\"hi\"\"\nthere\"\r\nlast,\n");
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].fields, ["a", "b"]);
        assert_eq!(r[1].fields, ["x,1", "say \"hi\"\nthere"]);
        assert_eq!(r[1].line, 2);
        assert_eq!(r[2].line, 4);
        assert_eq!(r[2].fields, ["last", ""]);
        assert!(r.iter().all(|x| x.error.is_none()));
    }

    #[test]
    fn no_trailing_newline_and_cr_only() {
        let r = read("a,b\rc,d");
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].fields, ["c", "d"]);
        assert_eq!(r[1].line, 2);
        assert_eq!(r[1].end, 7);
    }

    #[test]
    fn bad_quoting_is_reported_with_field_index() {
        let r = read("a,b\"c\n\"x\"y,z\n\"open,\nmore\n");
        assert_eq!(r[0].error.as_ref().unwrap().0, 1);
        assert!(r[0]
            .error
            .as_ref()
            .unwrap()
            .1
            .starts_with("a quote (\") inside"));
        assert_eq!(r[1].error.as_ref().unwrap().0, 0);
        assert!(r[1]
            .error
            .as_ref()
            .unwrap()
            .1
            .starts_with("text after the closing"));
        assert_eq!(r[1].fields, ["xy", "z"]);
        assert_eq!(
            r[2].error.as_ref().unwrap().1,
            "the quote that opens on line 3 is never closed"
        );
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn multibyte_text_and_borrowed_fields() {
        let r = read("é,\"ü,\"\"ß\"\"\",naïve\"x\"\r\n\"\",€\n");
        assert_eq!(r[0].fields, ["é", "ü,\"ß\"", "naïve\"x\""]);
        assert!(r[0]
            .error
            .as_ref()
            .unwrap()
            .1
            .starts_with("a quote (\") inside"));
        assert_eq!(r[1].fields, ["", "€"]);
        assert_eq!(r[1].line, 2);
        // Fields without escapes are slices of the text, not copies.
        assert!(matches!(r[0].fields[0], Cow::Borrowed(_)));
        assert!(matches!(r[1].fields[1], Cow::Borrowed(_)));
        assert!(matches!(r[0].fields[1], Cow::Owned(_)));
    }

    #[test]
    fn blank_records() {
        let r = read("a,b\n\n,,\n");
        assert!(!r[0].is_blank());
        assert!(r[1].is_blank());
        assert!(r[2].is_blank());
    }

    #[test]
    fn writer_quotes_only_when_needed() {
        let mut s = String::new();
        push_record(&mut s, &["plain", "a,b", "q\"q", "l\nl", ""]);
        assert_eq!(s, "plain,\"a,b\",\"q\"\"q\",\"l\nl\",\n");
        let back = read(&s);
        assert_eq!(back[0].fields, ["plain", "a,b", "q\"q", "l\nl", ""]);
    }

    #[test]
    fn formula_rule_is_reversible() {
        for v in [
            "=SUM(A1)", "+31 6", "-2", "@x", "'quoted", "\tx", "plain", "", "é",
        ] {
            let out = neutralise_formula_cell(v);
            assert_eq!(restore_formula_cell(&out), v);
        }
        assert_eq!(neutralise_formula_cell("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula_cell("'a"), "''a");
        assert_eq!(neutralise_formula_cell("a=1"), "a=1");
        assert_eq!(restore_formula_cell("''a"), "'a");
    }

    #[test]
    fn lists_escape_separators() {
        let items = vec!["a;b".to_string(), "c\\d".to_string(), "e".to_string()];
        let cell = join_list(&items);
        assert_eq!(cell, "a\\;b;c\\\\d;e");
        assert_eq!(split_list(&cell), items);
        assert_eq!(split_list(" x ; ;y;"), ["x", "y"]);
        assert_eq!(split_list("C:\\dir"), ["C:\\dir"]);
        assert!(split_list("").is_empty());
    }
}
