//! PostgreSQL through the real binary: `observa copy` from SQLite to PostgreSQL and back, and two
//! `observa serve` processes on one PostgreSQL database. Skipped (said on standard error) without
//! `OBSERVA_TEST_POSTGRES`, failed without it when `OBSERVA_REQUIRE_POSTGRES=1`.

use std::io::BufRead;
use std::process::{Child, Command, Output, Stdio};

use observa_domain::consultation::Value as Answer;
use observa_store::{AccountStore, ConsultationStore, DesignStore, Expected, PostgresStore, SqliteStore, Store};
use serde_json::{json, Value};

use crate::engines::{fresh_database, server};
use crate::{text, Scratch};

/// `observa --db DB ARGS...` in the scratch folder, with `DB` as given (a URL or a file name).
fn observa(s: &Scratch, db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_observa"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(s.path(""))
        .env_remove("OBSERVA_DB")
        .env_remove("OBSERVA_AUDIT_KEY")
        .env_remove("OBSERVA_AUDIT_KEY_FILE")
        .output()
        .expect("the observa binary runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The audit key the binary made for a PostgreSQL database in the scratch folder.
fn key_of(s: &Scratch, url: &str) -> observa_domain::audit::AuditKey {
    let name = url.rsplit('/').next().unwrap();
    observa_domain::audit::AuditKey::parse(&std::fs::read_to_string(s.path(&format!("{name}.audit-key"))).unwrap())
        .unwrap()
}

#[test]
fn copy_moves_a_whole_database_to_postgres_and_back_with_its_history_and_a_verifying_audit_log() {
    let Some(server) = server("shared_db::copy") else { return };
    let s = Scratch::new();
    let a = s.path("a.db").display().to_string();
    ok(observa(&s, &a, &["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]));
    ok(observa(&s, &a, &["user", "add", "--email", "enlace@gob.cl", "--role", "liaison", "--state", "CL"]));
    ok(observa(&s, &a, &["token", "create", "--email", "enlace@gob.cl"]));
    {
        let mut store = SqliteStore::open(&s.path("a.db")).unwrap();
        let answers = [("plans.changes".to_string(), Answer::Text("Un capítulo de evaluación.".into()))].into();
        store.save_draft(2015, "CL", &answers, Expected::NEW, "enlace@gob.cl").unwrap();
        let file = observa_store::Attachment {
            id: 0,
            name: "plan.pdf".into(),
            media_type: "application/pdf".into(),
            size: 5,
            sha256: "x".into(),
            uploaded_at: String::new(),
            uploaded_by: String::new(),
        };
        store.attach(2015, "CL", &file, b"%PDF-", "enlace@gob.cl").unwrap();
        store.add_comment(2015, "CL", "plans.changes", "¿Cuándo?", "ana@example.org").unwrap();
        let last = observa_domain::monitoring::Matrix::new("cl-plan-1");
        let draft =
            observa_domain::monitoring::design::carry_over(&last, "CL", "Próximo plan", "2026-01-01".parse().unwrap());
        store.create_plan_draft(&draft, "ana@example.org").unwrap();
        store
            .queue(
                &[observa_store::Message { to: "enlace@gob.cl".into(), subject: "s".into(), body: "b".into() }],
                "ana",
            )
            .unwrap();
    }
    ok(observa(&s, &a, &["export", "--format", "json", "--out", "a.json"]));

    let url = fresh_database(&server);
    let said = ok(observa(&s, &a, &["copy", "--from", &a, "--to", &url]));
    assert!(said.contains("audit log verifies"), "{said}");
    let again = observa(&s, &a, &["copy", "--from", &a, "--to", &url]);
    assert!(
        !again.status.success() && text(&again).contains("not empty"),
        "a non-empty target is refused: {}",
        text(&again)
    );
    assert!(ok(observa(&s, &url, &["audit", "verify"])).contains("hash chain intact"));

    let b = s.path("b.db").display().to_string();
    ok(observa(&s, &url, &["copy", "--from", &url, "--to", &b]));
    ok(observa(&s, &b, &["export", "--format", "json", "--out", "b.json"]));
    assert_eq!(std::fs::read(s.path("a.json")).unwrap(), std::fs::read(s.path("b.json")).unwrap(), "the same export");
    assert!(ok(observa(&s, &b, &["audit", "verify"])).contains("hash chain intact"));

    let (a, b) = (SqliteStore::open(&s.path("a.db")).unwrap(), SqliteStore::open(&s.path("b.db")).unwrap());
    assert_eq!(a.audit().unwrap(), b.audit().unwrap(), "the audit log, entry by entry");
    assert_eq!(
        a.history(observa_domain::history::AsOf::Now).unwrap(),
        b.history(observa_domain::history::AsOf::Now).unwrap()
    );
    assert_eq!(a.draft(2015, "CL").unwrap(), b.draft(2015, "CL").unwrap());
    assert_eq!(a.plan_drafts().unwrap(), b.plan_drafts().unwrap(), "plans in design");
    assert_eq!(b.plan_drafts().unwrap().len(), 1);
    assert_eq!(a.attachment(2015, "CL", 1).unwrap(), b.attachment(2015, "CL", 1).unwrap());
    assert_eq!(a.tokens(None).unwrap(), b.tokens(None).unwrap());
    assert_eq!(a.outbox().unwrap(), b.outbox().unwrap());
    assert_eq!(a.comments(2015, "CL").unwrap().len(), 1);
    assert_eq!(b.comments(2015, "CL").unwrap()[0].body, "¿Cuándo?");
    assert_eq!(
        a.account_by_email("enlace@gob.cl").unwrap().map(|(acc, hash)| (acc.id, hash)),
        b.account_by_email("enlace@gob.cl").unwrap().map(|(acc, hash)| (acc.id, hash))
    );
}

/// A running `observa serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(s: &Scratch, url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_observa"))
        .args(["--db", url, "serve", "--addr", "127.0.0.1:0"])
        .current_dir(s.path(""))
        .env("OBSERVA_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.find_map(|l| l.ok().filter(|l| l.contains("serving on"))).expect("the server starts");
    let base = line.split("http://").nth(1).unwrap().trim_end_matches('/').to_string();
    Server { child, base: format!("http://{base}") }
}

fn call(server: &Server, method: &str, path: &str, headers: &[(&str, &str)], body: Option<Value>) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let url = format!("{}{path}", server.base);
    let mut response = match body {
        None => headers.iter().fold(agent.get(&url), |r, (k, v)| r.header(*k, *v)).call().unwrap(),
        Some(b) => {
            let r = if method == "PUT" { agent.put(&url) } else { agent.post(&url) };
            let r = headers.iter().fold(r, |r, (k, v)| r.header(*k, *v));
            r.header("Content-Type", "application/json").send(b.to_string()).unwrap()
        }
    };
    let text = response.body_mut().read_to_string().unwrap_or_default();
    (response.status().as_u16(), serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[test]
fn two_servers_on_one_postgres_database_see_each_others_writes_and_refuse_a_stale_save_from_either() {
    let Some(server) = server("shared_db::two_servers") else { return };
    let s = Scratch::new();
    let url = fresh_database(&server);
    ok(observa(&s, &url, &["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]));
    ok(observa(&s, &url, &["user", "add", "--email", "enlace@gob.cl", "--role", "liaison", "--state", "CL"]));
    let token = ok(observa(&s, &url, &["token", "create", "--email", "enlace@gob.cl"]))
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    {
        let mut store = PostgresStore::open_with_key(&url, key_of(&s, &url), "(test)").unwrap();
        let (officer, _) = store.account_by_email("enlace@gob.cl").unwrap().unwrap();
        let hash = observa_web::auth::hash_password("una clave propia 2015").unwrap();
        store.set_password(officer.id, &hash, None, "enlace@gob.cl").unwrap();
    }
    let (one, two) = (serve(&s, &url), serve(&s, &url));
    let bearer = format!("Bearer {token}");
    let put = |server: &Server, version: &str, text: &str| {
        let h = [("Authorization", bearer.as_str()), ("If-Match", version)];
        call(server, "PUT", crate::consultation::CL, &h, Some(json!({ "answers": { "plans.changes": text } })))
    };
    let read =
        |server: &Server| call(server, "GET", crate::consultation::CL, &[("Authorization", bearer.as_str())], None).1;
    assert_eq!(put(&one, "\"v0\"", "saved through one").0, 200);
    let seen = read(&two);
    assert_eq!((seen["version"].as_i64(), &seen["answers"]["plans.changes"]), (Some(1), &json!("saved through one")));
    assert_eq!(put(&two, "\"v0\"", "stale through two").0, 412, "a stale save through the other server");
    assert_eq!(put(&one, "\"v0\"", "stale through one").0, 412, "and through the first");
    assert_eq!(put(&two, "\"v1\"", "saved through two").0, 200);
    assert_eq!(read(&one)["answers"]["plans.changes"], "saved through two");

    // A registry write by another process (an import) shows on both servers' pages.
    ok(observa(&s, &url, &["export", "--format", "json", "--out", "now.json"]));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(s.path("now.json")).unwrap()).unwrap();
    doc.as_object_mut().unwrap().remove("history");
    let plan = doc["plans"].as_array_mut().unwrap().iter_mut().find(|p| p["state"] == "CL").unwrap();
    plan["name"] = json!("Plan renombrado por otro proceso");
    let id = plan["id"].as_str().unwrap().to_string();
    std::fs::write(s.path("renamed.json"), doc.to_string()).unwrap();
    let page = format!("/api/v1/plans/{id}");
    assert_ne!(call(&one, "GET", &page, &[], None).1["name"], "Plan renombrado por otro proceso");
    ok(observa(&s, &url, &["import", "renamed.json"]));
    let written = std::time::Instant::now();
    for server in [&one, &two] {
        // The servers poll every half second; ten seconds is a bound no working poll comes near.
        while call(server, "GET", &page, &[], None).1["name"] != "Plan renombrado por otro proceso" {
            assert!(written.elapsed().as_secs() < 10, "{}: the other process's write never showed", server.base);
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    eprintln!("both servers showed the import {} ms after it committed", written.elapsed().as_millis());
}
