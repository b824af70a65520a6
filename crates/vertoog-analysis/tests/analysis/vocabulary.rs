//! One label per term in both front ends: the text report's action-kind labels (i18n.rs,
//! `kind.*`) are the web UI's (`web/i18n/{en,nl}.json`, `actionkind.*`).

use std::path::Path;

use vertoog_analysis::i18n::text;
use vertoog_analysis::{ActionKind, Lang};

#[test]
fn action_kind_labels_match_the_web_ui() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/i18n");
    for (lang, file) in [(Lang::En, "en.json"), (Lang::Nl, "nl.json")] {
        let path = web.join(file);
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for kind in ActionKind::ALL {
            let key = format!("actionkind.{}", kind.as_str());
            let ui = json[&key]
                .as_str()
                .unwrap_or_else(|| panic!("{file}: no {key}"));
            let report = text(lang, &format!("kind.{}", kind.as_str()));
            assert_eq!(report, ui, "{file} {key}: report and UI differ");
        }
    }
}
