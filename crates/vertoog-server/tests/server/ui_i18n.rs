//! The web UI's translation catalogues (docs/interfaces.md §4): every message exists in
//! Dutch and English with the same placeholders, and every key the UI uses is in both.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn web() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web")
}

fn catalogue(lang: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(web().join(format!("i18n/{lang}.json"))).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("i18n/{lang}.json: {e}"))
}

/// `{name}` placeholders of a message.
fn placeholders(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else { break };
        out.insert(rest[i + 1..i + j].to_string());
        rest = &rest[i + j + 1..];
    }
    out
}

#[test]
fn both_languages_have_every_message_with_the_same_placeholders() {
    let (en, nl) = (catalogue("en"), catalogue("nl"));
    let only_en: Vec<_> = en.keys().filter(|k| !nl.contains_key(*k)).collect();
    let only_nl: Vec<_> = nl.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "messages only in English: {only_en:?}");
    assert!(only_nl.is_empty(), "messages only in Dutch: {only_nl:?}");
    for (key, text) in &en {
        assert!(!text.trim().is_empty(), "empty English message {key}");
        assert!(!nl[key].trim().is_empty(), "empty Dutch message {key}");
        assert_eq!(
            placeholders(text),
            placeholders(&nl[key]),
            "placeholders of {key} differ"
        );
    }
    assert!(
        en.len() > 100,
        "the catalogue covers the UI ({} messages)",
        en.len()
    );
}

/// Keys named in the UI's code (`t('key'`), prefixes of `tr('prefix', value)` (key
/// `prefix.value`, written `prefix.*` here), and keys of the markup (`data-i18n*="key"`).
fn used_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(web()).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext != "js" && ext != "html" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (open, close) in [
            ("t('", '\''),
            ("tr('", '\''),
            ("data-i18n=\"", '"'),
            ("data-i18n-aria=\"", '"'),
            ("data-i18n-placeholder=\"", '"'),
            ("data-i18n-title=\"", '"'),
        ] {
            let mut rest = text.as_str();
            while let Some(i) = rest.find(open) {
                // `t(` must not be the end of a longer name such as `split(`.
                let before = rest[..i].chars().last();
                rest = &rest[i + open.len()..];
                if open.starts_with('t')
                    && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                {
                    continue;
                }
                if let Some(j) = rest.find(close) {
                    let key = &rest[..j];
                    if !key.is_empty() && !key.contains(['$', '{', ' ']) {
                        if open == "tr('" {
                            keys.insert(format!("{key}.*"));
                        } else {
                            keys.insert(key.to_string());
                        }
                    }
                }
            }
        }
    }
    keys
}

#[test]
fn every_key_the_ui_uses_is_translated() {
    let en = catalogue("en");
    let keys = used_keys();
    assert!(
        keys.len() > 50,
        "found the keys the UI uses ({})",
        keys.len()
    );
    let missing: Vec<_> = keys
        .iter()
        .filter(|k| match k.strip_suffix('*') {
            Some(prefix) => !en.keys().any(|e| e.starts_with(prefix)),
            None => !en.contains_key(*k),
        })
        .collect();
    assert!(
        missing.is_empty(),
        "keys used by the UI but missing from the catalogues: {missing:?}"
    );
}
