//! The command line as a user runs it: check, export, import, and what bad input gets.

use crate::{copy_data, text, Scratch};

#[test]
fn check_on_the_bundled_data_passes_and_prints_the_curation_report() {
    let s = Scratch::new();
    let out = s.observa("observa.db", &["check"]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("Curation report"));
    assert!(shown.contains("Appendix 3/GD/name: source says `Granada`"), "{shown}");
    assert!(shown.contains("[SR OPSC report 1] ratification-date-differs"), "{shown}");
    assert!(shown.contains("The database holds exactly the data files' content."), "{shown}");
    // Opening a new database records its audit key (1 entry); seeding writes the registry (one
    // entry per record and one for the write), the 16 bundled editorial blocks (4 blocks × 4
    // languages) and cycle 2014 (1 to open it; a save, a submission and an acceptance for each of
    // the 14 responding States).
    let expected = 61 + crate::bundled_records();
    assert!(shown.contains(&format!("Audit log: {expected} entries, hash chain intact.")), "{shown}");
    assert!(
        s.exists("observa.db") && s.open("observa.db").is_seeded().unwrap(),
        "check creates and seeds the database"
    );
}

#[test]
fn check_fails_on_a_broken_data_folder_and_names_the_place() {
    let s = Scratch::new();
    let data = s.path("data");
    copy_data(&data);
    let instruments = data.join("instruments.toml");
    let broken = std::fs::read_to_string(&instruments).unwrap().replacen(
        "cells = [\"05/10/1993\"",
        "cells = [\"05/13/1993\"",
        1,
    );
    std::fs::write(&instruments, broken).unwrap();
    let out = s.observa("observa.db", &["check", "--data", data.to_str().unwrap()]);
    let shown = text(&out);
    assert!(!out.status.success());
    assert!(shown.contains("instruments.toml"), "{shown}");
    assert!(shown.contains("Antigua & Barbuda") && shown.contains("CRC") && shown.contains("05/13/1993"), "{shown}");
}

#[test]
fn json_export_is_lossless_through_import() {
    let s = Scratch::new();
    let first = s.path("first.json");
    let second = s.path("second.json");
    let day = "2026-01-01";
    assert!(s
        .observa("a.db", &["export", "--format", "json", "--out", first.to_str().unwrap(), "--as-of", day])
        .status
        .success());
    let out = s.observa("b.db", &["import", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(s
        .observa("b.db", &["export", "--format", "json", "--out", second.to_str().unwrap(), "--as-of", day])
        .status
        .success());
    let (a, b) = (std::fs::read_to_string(&first).unwrap(), std::fs::read_to_string(&second).unwrap());
    assert_eq!(a, b, "export → import → export gives the same document");
    // The same database, table by table.
    let (ca, cb) = (s.path("csv-a"), s.path("csv-b"));
    assert!(s
        .observa("a.db", &["export", "--format", "csv", "--out", ca.to_str().unwrap(), "--as-of", day])
        .status
        .success());
    assert!(s
        .observa("b.db", &["export", "--format", "csv", "--out", cb.to_str().unwrap(), "--as-of", day])
        .status
        .success());
    for entry in std::fs::read_dir(&ca).unwrap() {
        let name = entry.unwrap().file_name();
        assert_eq!(std::fs::read(ca.join(&name)).unwrap(), std::fs::read(cb.join(&name)).unwrap(), "{name:?}");
    }
}

#[test]
fn json_export_follows_the_public_contract() {
    let s = Scratch::new();
    let out = s.path("export.json");
    assert!(s.observa("a.db", &["export", "--format", "json", "--out", out.to_str().unwrap()]).status.success());
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    for key in ["states", "plans", "bodies", "laws", "treaties", "ratifications", "reporting"] {
        assert!(doc[key].is_array(), "top-level array `{key}`");
    }
    let rat = &doc["ratifications"][0];
    for key in ["state", "treaty", "status", "date"] {
        assert!(rat.get(key).is_some(), "ratifications items have `{key}`: {rat}");
    }
    let statuses = ["ratification", "accession", "succession", "signature", "none"];
    for r in doc["ratifications"].as_array().unwrap() {
        assert!(statuses.contains(&r["status"].as_str().unwrap()), "{r}");
        assert!(r["date"].is_null() || r["date"].as_str().unwrap().len() >= 4);
    }
    let cl = doc["reporting"].as_array().unwrap().iter().find(|r| r["state"] == "CL").unwrap();
    assert_eq!(cl["entry_into_force"], "2003-03-06");
    assert_eq!(cl["initial_report_due"], "2005-03-06");
    assert_eq!(cl["source_due"], "2005-02-06");
    assert!(cl["flags"].as_array().unwrap().iter().any(|f| f["code"] == "due-date-differs"));
    for table in ["plans", "bodies", "laws", "ratifications", "reporting"] {
        for item in doc[table].as_array().unwrap() {
            assert!(item["state"].is_string(), "{table} item without `state`: {item}");
        }
    }
}

#[test]
fn csv_export_writes_one_file_per_table_with_headers() {
    let s = Scratch::new();
    let out = s.path("csv");
    assert!(s.observa("a.db", &["export", "--format", "csv", "--out", out.to_str().unwrap()]).status.success());
    let mut reader = csv::Reader::from_path(out.join("ratifications.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["state", "treaty", "status", "date", "source_text", "source"]
    );
    assert_eq!(reader.records().count(), 340);
    for table in ["states", "plans", "bodies", "members", "laws", "treaties", "reports", "corrections", "reporting"] {
        assert!(out.join(format!("{table}.csv")).exists(), "{table}.csv");
    }
}

#[test]
fn a_malformed_import_changes_nothing_and_says_where() {
    let s = Scratch::new();
    let before = s.path("before.json");
    let after = s.path("after.json");
    let day = "2026-01-01";
    assert!(s
        .observa("a.db", &["export", "--format", "json", "--out", before.to_str().unwrap(), "--as-of", day])
        .status
        .success());

    // A record with a wrong enum value (in the ratifications table; the export's history, which
    // sorts before it, is left alone).
    let doc = std::fs::read_to_string(&before).unwrap();
    let bad = s.path("bad.json");
    let mut wrong: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let accession =
        wrong["ratifications"].as_array_mut().unwrap().iter_mut().find(|r| r["status"] == "accession").unwrap();
    accession["status"] = "accepted".into();
    std::fs::write(&bad, wrong.to_string()).unwrap();
    let out = s.observa("a.db", &["import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("ratifications[") && text(&out).contains("accepted"), "{}", text(&out));

    // A reference to a State that does not exist.
    std::fs::write(&bad, doc.replacen("\"state\": \"CL\"", "\"state\": \"XX\"", 1)).unwrap();
    let out = s.observa("a.db", &["import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("XX"), "{}", text(&out));

    // Not JSON at all, and a missing file.
    std::fs::write(&bad, "<html>").unwrap();
    assert!(!s.observa("a.db", &["import", bad.to_str().unwrap()]).status.success());
    let out = s.observa("a.db", &["import", s.path("nowhere.json").to_str().unwrap()]);
    assert!(!out.status.success() && text(&out).contains("nowhere.json"));

    // A data folder with a TOML syntax error names the file and the line.
    let data = s.path("data");
    copy_data(&data);
    std::fs::write(data.join("states.toml"), "[[states]]\ncode = \"AR\"\nname_en = \n").unwrap();
    let out = s.observa("a.db", &["import", data.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("states.toml") && text(&out).contains("line 3"), "{}", text(&out));

    assert!(s
        .observa("a.db", &["export", "--format", "json", "--out", after.to_str().unwrap(), "--as-of", day])
        .status
        .success());
    assert_eq!(std::fs::read_to_string(&before).unwrap(), std::fs::read_to_string(&after).unwrap(), "nothing changed");
}

#[test]
fn a_bad_format_or_date_argument_is_refused_by_the_parser() {
    let s = Scratch::new();
    let out = s.observa("a.db", &["export", "--format", "pdf", "--out", "x"]);
    assert!(!out.status.success() && text(&out).contains("pdf"));
    let out = s.observa("a.db", &["export", "--format", "json", "--out", "x", "--as-of", "2014-13-01"]);
    assert!(!out.status.success() && text(&out).contains("2014-13-01"));
}

#[test]
fn a_typo_in_a_state_file_is_reported_with_its_line_and_the_values_expected() {
    let s = Scratch::new();
    let data = s.path("data");
    copy_data(&data);
    let plan = "state = \"CU\"\n\n[[plans]]\nid = \"cu-x\"\nname = \"X\"\nlang = \"es\"\nkind = \"specifc-sec\"\nadopted = \"2012\"\n";
    std::fs::write(data.join("states/CU.toml"), plan).unwrap();
    let out = s.observa("observa.db", &["check", "--data", data.to_str().unwrap()]);
    let shown = text(&out);
    assert!(!out.status.success());
    assert!(shown.contains("CU.toml") && shown.contains("line 7"), "{shown}");
    assert!(shown.contains("unknown variant `specifc-sec`, expected one of `specific-sec`"), "{shown}");

    let wrong_state = plan.replace("kind = \"specifc-sec\"", "kind = \"other\"\nstate = \"CL\"");
    std::fs::write(data.join("states/CU.toml"), wrong_state).unwrap();
    let shown = text(&s.observa("observa.db", &["check", "--data", data.to_str().unwrap()]));
    assert!(shown.contains("plans.cu-x: state `CL` in the file of `CU`"), "{shown}");
}

/// The export of `db` with every table emptied: valid JSON, valid data, and no registry at all.
fn emptied_export(s: &Scratch, db: &str) -> std::path::PathBuf {
    let full = s.path("full.json");
    assert!(s.observa(db, &["export", "--format", "json", "--out", full.to_str().unwrap()]).status.success());
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap();
    for value in doc.as_object_mut().unwrap().values_mut() {
        if value.is_array() {
            *value = serde_json::json!([]);
        }
    }
    let empty = s.path("empty.json");
    std::fs::write(&empty, doc.to_string()).unwrap();
    empty
}

#[test]
fn an_import_that_would_empty_the_registry_is_refused_unless_asked_and_is_never_re_seeded() {
    let s = Scratch::new();
    let (before, after) = (s.path("before.json"), s.path("after.json"));
    // Today's registry: a date in `--as-of` reads the registry as it stood then, before the
    // emptying.
    let export = |path: &std::path::Path| {
        let out = s.observa("a.db", &["export", "--format", "json", "--out", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out));
    };
    export(&before);
    let empty = emptied_export(&s, "a.db");

    let out = s.observa("a.db", &["import", empty.to_str().unwrap()]);
    assert!(!out.status.success(), "refused: {}", text(&out));
    assert!(text(&out).contains("it has no States") && text(&out).contains("--allow-empty"), "{}", text(&out));
    export(&after);
    assert_eq!(std::fs::read_to_string(&before).unwrap(), std::fs::read_to_string(&after).unwrap(), "nothing changed");
    let out = s.observa("fresh.db", &["import", empty.to_str().unwrap()]);
    assert!(!out.status.success() && !s.exists("fresh.db"), "not even a new database is created");

    // Asked explicitly, it empties the registry, and no later command fills it again.
    let out = s.observa("a.db", &["import", "--allow-empty", empty.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    for args in [&["check", "--quiet"][..], &["audit", "verify"]] {
        let out = s.observa("a.db", args);
        assert!(!text(&out).contains("seeded"), "{args:?} does not re-seed: {}", text(&out));
    }
    export(&after);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&after).unwrap()).unwrap();
    assert_eq!(doc["states"], serde_json::json!([]), "the registry stays empty");
    assert_eq!(doc["plans"], serde_json::json!([]));
}
