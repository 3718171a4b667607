//! `observa demo`: synthetic monitoring data in a database of its own, marked on every page and
//! in its exports, and never written into a database that is not a demonstration.

use crate::web::TestApp;
use crate::{text, Scratch};

const BANNER: &str = "Demonstration data: the monitoring figures on this page are synthetic";

#[test]
fn the_demonstration_database_says_so_on_every_page_and_in_its_exports_and_a_real_one_is_refused() {
    let s = Scratch::new();
    // A real database first: the demonstration refuses it and leaves it without monitoring data.
    assert!(s.observa("real.db", &["check", "--quiet"]).status.success());
    let refused = s.observa("real.db", &["demo"]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("is not a demonstration database"), "{}", text(&refused));
    assert!(s.open("real.db").matrices().unwrap().is_empty(), "nothing synthetic entered it");

    let made = s.observa("demo.db", &["demo"]);
    assert!(made.status.success(), "{}", text(&made));
    assert!(!s.open("demo.db").matrices().unwrap().is_empty());
    let demo = TestApp::spawn_on(s.open("demo.db"));
    for path in ["/en", "/es/monitoring", "/en/states/CL", "/fr/downloads"] {
        let page = demo.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.contains("class=\"demo-banner\""), "{path}: the banner");
    }
    assert!(demo.get("/en/monitoring").body.contains(BANNER));
    let package = demo.get("/downloads/monitoring/datapackage.json").json();
    assert!(package["title"].as_str().unwrap().starts_with("DEMONSTRATION DATA"), "{package}");

    let dir = s.path("package");
    assert!(s
        .observa("demo.db", &["export", "--format", "datapackage", "--out", dir.to_str().unwrap()])
        .status
        .success());
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("datapackage.json")).unwrap()).unwrap();
    assert!(exported["title"].as_str().unwrap().starts_with("DEMONSTRATION DATA"), "{exported}");

    // The real database's pages carry no banner and its package no such title.
    let real = TestApp::spawn_on(s.open("real.db"));
    assert!(!real.get("/en/monitoring").body.contains("demo-banner"));
    let package = real.get("/downloads/monitoring/datapackage.json").json();
    assert!(!package["title"].as_str().unwrap().contains("DEMONSTRATION"));
}
