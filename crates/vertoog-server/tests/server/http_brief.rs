//! `GET /maps/{map}/brief` (issue 21, briefs.md) on the demo map through the real server: a
//! download with the format's content type and a file name; the actor brief; the language
//! from `lang` or Accept-Language; 400 for a bad format, 404 for an unknown actor or map.

use crate::common;

use common::start_with;
use vertoog_server::REQUEST_TIMEOUT;

async fn demo() -> (common::TestServer, String) {
    let s = start_with(
        |store| {
            assert!(vertoog_server::load_demo(store).unwrap());
        },
        REQUEST_TIMEOUT,
    )
    .await;
    let m = s.store.list_maps().unwrap()[0].id.clone();
    (s, m)
}

#[tokio::test]
async fn brief_downloads_in_every_format() {
    let (s, m) = demo().await;
    let r = s.get(&format!("/api/v1/maps/{m}/brief")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type").as_deref(), Some("application/pdf"));
    assert_eq!(
        r.header("content-disposition").as_deref(),
        Some(format!("attachment; filename=\"brief-{m}-en.pdf\"").as_str())
    );
    assert!(r.body.starts_with(b"%PDF-"));

    let r = s
        .get(&format!(
            "/api/v1/maps/{m}/brief?format=docx&lang=nl&actor=vng"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    assert_eq!(
        r.header("content-disposition").as_deref(),
        Some(format!("attachment; filename=\"brief-{m}-vng-nl.docx\"").as_str())
    );
    assert!(r.body.starts_with(b"PK"));

    let r = s
        .get(&format!(
            "/api/v1/maps/{m}/brief?format=html&since=2024-01-01"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    let html = r.text();
    assert!(html.contains("<h1"), "{html}");
    assert!(html.contains("1 January 2024"), "the since date: {html}");

    // The language from Accept-Language when `lang` is absent.
    let r = s
        .raw(
            "GET",
            &format!("/api/v1/maps/{m}/brief?format=html"),
            &[("accept-language", "nl-NL,nl;q=0.9")],
            Vec::new(),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("In het kort"), "{}", r.text());
    s.stop().await;
}

#[tokio::test]
async fn brief_errors_name_the_parameter() {
    let (s, m) = demo().await;
    let r = s.get(&format!("/api/v1/maps/{m}/brief?format=odt")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "format");
    let r = s
        .get(&format!("/api/v1/maps/{m}/brief?since=yesterday"))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.field(), "since");
    let r = s.get(&format!("/api/v1/maps/{m}/brief?actor=nobody")).await;
    assert_eq!(r.status, 404, "{}", r.text());
    let r = s.get("/api/v1/maps/none/brief").await;
    assert_eq!(r.status, 404);
    let r = s.get(&format!("/api/v1/maps/{m}/brief?colour=red")).await;
    assert_eq!(r.status, 400);
    s.stop().await;
}
