//! The embedded fonts: DejaVu Sans regular and bold (the `dejavu` crate; DejaVu's licence,
//! free to embed), with Noto Emoji (the `epaint_default_fonts` crate; SIL OFL 1.1) as the
//! fallback for emoji. No font is read from the system, so every machine draws the same.

use std::sync::{Arc, OnceLock};

pub fn regular() -> &'static [u8] {
    dejavu::sans::regular()
}

pub fn bold() -> &'static [u8] {
    dejavu::sans::bold()
}

pub fn emoji() -> &'static [u8] {
    epaint_default_fonts::NOTO_EMOJI_REGULAR
}

/// The family names the SVG drawings use (`svg::FONT`).
pub const FAMILY: &str = "DejaVu Sans";

/// A font database with exactly the embedded fonts (for usvg and resvg), built once.
pub fn database() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(regular().to_vec());
        db.load_font_data(bold().to_vec());
        db.load_font_data(emoji().to_vec());
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// usvg options that resolve every font to the embedded ones.
pub fn usvg_options() -> resvg::usvg::Options<'static> {
    resvg::usvg::Options {
        fontdb: database(),
        font_family: FAMILY.to_string(),
        ..Default::default()
    }
}
