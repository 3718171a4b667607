//! Reminders sent by mail: the real `observa serve --smtp-url` against a real local SMTP server
//! (Python's aiosmtpd, writing each message it receives to a file), reminders queued through the
//! real pages; the relay stopped (failed attempts recorded with their error, retried later) and
//! started again; the server restarted (nothing delivered twice); and no relay at all (nothing
//! sent, and the status page says so).
//!
//! The relay needs Python with `aiosmtpd`: `scripts/test.sh` installs it and sets
//! `OBSERVA_PYTHON` and `OBSERVA_REQUIRE_TOOLS=1`; without it the relay test says so and stops,
//! unless tools are required.

use std::collections::BTreeSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use observa_store::Message;
use serde_json::Value;

use crate::web::TestApp;
use crate::{text, Scratch};

/// The Python interpreter that has aiosmtpd, or None (and why) when it is missing.
fn python() -> Option<String> {
    let python = std::env::var("OBSERVA_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python).args(["-c", "import aiosmtpd"]).output().is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    let message = format!("{python} lacks aiosmtpd: run `bash scripts/test.sh`, which installs it");
    assert!(std::env::var("OBSERVA_REQUIRE_TOOLS").is_err(), "{message}");
    eprintln!("NOT RUN: {message}");
    None
}

/// The relay: each message becomes one JSON file (envelope recipients, decoded subject,
/// Message-ID and body), written whole then renamed, so a reader never sees half of one.
const RELAY: &str = r#"
import json, os, sys, time
from email import message_from_bytes
from email.policy import default
from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]

class Keep:
    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=default)
        record = {"rcpt": envelope.rcpt_tos, "from": envelope.mail_from, "subject": str(msg["subject"]),
                  "message_id": str(msg["message-id"]), "body": msg.get_body().get_content()}
        path = os.path.join(out, "%d.json" % time.time_ns())
        with open(path + ".part", "w") as f:
            json.dump(record, f)
        os.rename(path + ".part", path)
        return "250 kept"

controller = Controller(Keep(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(1)
"#;

/// A running aiosmtpd on a port, stopped (killed: the relay goes away) when dropped.
struct Relay {
    child: Child,
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn relay(python: &str, script: &Path, port: u16, out: &Path) -> Relay {
    let mut child = Command::new(python)
        .arg(script)
        .arg(port.to_string())
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python runs");
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.any(|l| l.is_ok_and(|l| l == "ready")), "the relay starts");
    Relay { child }
}

/// Text as the templates write it into HTML.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#x27;")
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The messages the relay kept, oldest first.
fn received(out: &Path) -> Vec<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
}

/// Waits until `done` holds, at most 30 seconds (a bound no working sender comes near).
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(30), "waited 30 s for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A running `observa serve`, stopped when dropped; its output is kept.
struct Server {
    child: Child,
    base: String,
    output: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `observa serve` on the test's database with `args`, polling the outbox every 100 ms and
/// counting back-off "minutes" of 200 ms (the variables meant for tests).
fn serve(s: &Scratch, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_observa"))
        .args(["--db", &s.db("c.db"), "serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .current_dir(s.path(""))
        .env("OBSERVA_LOG", "warn")
        .env("OBSERVA_MAIL_POLL_MS", "100")
        .env("OBSERVA_MAIL_BACKOFF_MS", "200")
        .env_remove("OBSERVA_SMTP_URL")
        .env_remove("OBSERVA_MAIL_FROM")
        .env_remove("OBSERVA_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let output = Arc::new(Mutex::new(Vec::new()));
    let (kept, stdout) = (output.clone(), child.stdout.take().unwrap());
    // Read to the end, so that the server's log never fills the pipe and blocks it.
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            kept.lock().unwrap().push(line);
        }
    });
    let found = |o: &Arc<Mutex<Vec<String>>>| o.lock().unwrap().iter().find(|l| l.contains("serving on")).cloned();
    wait_for("the server to start", || found(&output).is_some());
    let line = found(&output).unwrap();
    let base = format!("http://{}", line.split("http://").nth(1).unwrap().trim_end_matches('/'));
    Server { child, base, output }
}

impl Server {
    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into()
    }

    /// Status, `Location` and body of a GET with the session cookie.
    fn get(&self, path: &str, cookie: &str) -> (u16, String, String) {
        let mut r = Self::agent().get(format!("{}{path}", self.base)).header("Cookie", cookie).call().unwrap();
        let location = r.headers().get("location").map_or("", |v| v.to_str().unwrap_or("")).to_string();
        (r.status().as_u16(), location, r.body_mut().read_to_string().unwrap_or_default())
    }

    /// Posts the CSRF token of the page `form` (its only field) to `action`; status and `Location`.
    fn press(&self, form: &str, action: &str, cookie: &str) -> (u16, String) {
        let page = self.get(form, cookie).2;
        let marker = "name=\"csrf\" value=\"";
        let start = page.find(marker).unwrap_or_else(|| panic!("{form} has a form: {page}")) + marker.len();
        let csrf = page[start..].split('"').next().unwrap();
        let r = Self::agent()
            .post(format!("{}{action}", self.base))
            .header("Cookie", cookie)
            .send_form([("csrf", csrf)])
            .unwrap();
        let location = r.headers().get("location").map_or("", |v| v.to_str().unwrap_or("")).to_string();
        (r.status().as_u16(), location)
    }
}

/// A database with the 2015 cycle (its deadline past, so reminders are due), two liaison
/// officers (Chile, Argentina), a plan coordinator of Paraguay whose plan has reports overdue,
/// and a signed-in analyst: the database and the analyst's cookie. The sign-in goes through an
/// in-process portal on the same database (sessions live in the database, so the cookie works
/// on every server of it).
fn prepared() -> (Scratch, String) {
    let s = Scratch::new();
    let run = |args: &[&str]| {
        let out = s.observa("c.db", args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
    };
    run(&["cycle", "open", "--year", "2015", "--from", "2014", "--deadline", "2015-06-30"]);
    run(&["user", "add", "--email", "enlace@gob.cl", "--role", "liaison", "--state", "CL"]);
    run(&["user", "add", "--email", "enlace@mrecic.gob.ar", "--role", "liaison", "--state", "AR"]);
    run(&["user", "add", "--email", "coordinacion@snna.gov.py", "--role", "coordinator", "--state", "PY"]);
    crate::monitoring_web::seeded(&s);
    let app = TestApp::spawn_on(s.open("c.db"));
    let (cookie, _) = crate::validation::analyst(&app, &s);
    (s, cookie)
}

#[test]
fn reminders_go_out_once_each_failed_attempts_are_retried_and_a_restart_sends_nothing_twice() {
    let Some(python) = python() else { return };
    let (s, cookie) = prepared();
    let (script, out) = (s.path("relay.py"), s.path("received"));
    std::fs::write(&script, RELAY).unwrap();
    std::fs::create_dir(&out).unwrap();
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let mail = ["--smtp-url", url.as_str(), "--mail-from", "Observa <observa@oas.example>"];
    let smtp = relay(&python, &script, port, &out);
    let server = serve(&s, &mail);
    assert!(
        server.output.lock().unwrap().iter().any(|l| l.contains(&format!("127.0.0.1:{port} (none)"))),
        "the server says where it sends"
    );

    // The cycle's reminders, queued on the cycle status page, reach both liaison officers.
    let (status, location) = server.press("/en/cycles/2015", "/en/cycles/2015/reminders", &cookie);
    assert_eq!((status, location.as_str()), (303, "/en/cycles/2015?queued=2"));
    wait_for("two reminders at the relay", || received(&out).len() == 2);
    let got = received(&out);
    let to: BTreeSet<&str> = got.iter().map(|m| m["rcpt"][0].as_str().unwrap()).collect();
    assert_eq!(to, BTreeSet::from(["enlace@gob.cl", "enlace@mrecic.gob.ar"]));
    for m in &got {
        assert_eq!(m["subject"], "Observa: the 2015 consultation is due on 2015-06-30");
        assert_eq!(m["from"], "observa@oas.example");
        assert!(m["message_id"].as_str().unwrap().starts_with("<observa-outbox-"), "{m}");
        assert!(m["body"].as_str().unwrap().contains("/en/cycles/2015/responses/"), "{m}");
    }
    wait_for("both marked sent", || s.open("c.db").delivery(5).unwrap().sent == 2);
    let page = server.get("/en/admin/mail", &cookie).2;
    assert!(page.contains(&format!("127.0.0.1:{port}")) && page.contains("id=\"mail-sent\">2<"), "{page}");

    // The relay goes away: the coordinator's monitoring reminder fails, with the error on
    // record, and is tried again later.
    drop(smtp);
    let (status, location) = server.press("/en/monitoring/review", "/en/monitoring/reminders", &cookie);
    assert_eq!((status, location.as_str()), (303, "/en/admin/mail?queued=1"));
    let again = server.press("/en/monitoring/review", "/en/monitoring/reminders", &cookie);
    assert_eq!(again.1, "/en/admin/mail?queued=0", "the same day's reminder is queued once");
    wait_for("two failed attempts", || {
        s.open("c.db").delivery(5).unwrap().failures.first().is_some_and(|f| f.attempts >= 2)
    });
    let failure = s.open("c.db").delivery(5).unwrap().failures[0].clone();
    assert_eq!((failure.to.as_str(), failure.status.as_str()), ("coordinacion@snna.gov.py", "queued"));
    assert!(!failure.error.is_empty() && failure.next_attempt_at.is_some(), "{failure:?}");
    let page = server.get("/en/admin/mail", &cookie).2;
    assert!(page.contains("coordinacion@snna.gov.py") && page.contains(&escaped(&failure.error)), "{page}");

    // The relay is back: the retry delivers it.
    let smtp = relay(&python, &script, port, &out);
    wait_for("the monitoring reminder at the relay", || received(&out).len() == 3);
    let m = &received(&out)[2];
    assert_eq!(m["rcpt"][0], "coordinacion@snna.gov.py");
    assert_eq!(m["subject"], "Observa: monitoring reports due for Paraguay");
    assert!(m["body"].as_str().unwrap().contains("/en/monitoring/plans/"), "{m}");
    wait_for("three marked sent", || s.open("c.db").delivery(5).unwrap().sent == 3);

    // A restart sends only what is new: two more reminders arrive, and nothing sent before.
    drop(server);
    let server = serve(&s, &mail);
    assert_eq!(server.press("/en/cycles/2015", "/en/cycles/2015/reminders", &cookie).0, 303);
    wait_for("the two new reminders", || received(&out).len() >= 5);
    wait_for("all marked sent", || s.open("c.db").delivery(5).unwrap().sent == 5);
    let ids: BTreeSet<String> = received(&out).iter().map(|m| m["message_id"].as_str().unwrap().to_string()).collect();
    assert_eq!((received(&out).len(), ids.len()), (5, 5), "each message once, each with its own Message-ID");
    drop((server, smtp));
}

#[test]
fn without_a_relay_nothing_is_sent_and_the_status_page_says_so() {
    let (s, cookie) = prepared();
    let server = serve(&s, &[]);
    assert!(server.output.lock().unwrap().iter().any(|l| l.contains("no relay configured")), "said at the start");
    let status = server.get("/en/cycles/2015", &cookie).2;
    assert!(status.contains("href=\"/en/admin/mail\""), "the cycle's status page links to the mail status");
    assert_eq!(server.press("/en/cycles/2015", "/en/cycles/2015/reminders", &cookie).1, "/en/cycles/2015?queued=2");
    let (code, _, page) = server.get("/en/admin/mail", &cookie);
    assert_eq!(code, 200);
    assert!(page.contains("No mail relay is configured: nothing is sent"), "{page}");
    assert!(page.contains("id=\"mail-queued\">2<") && page.contains("id=\"mail-sent\">0<"), "{page}");
    let es = server.get("/es/admin/mail", &cookie).2;
    assert!(es.contains("No hay ningún servidor de correo configurado"), "{es}");
    let store = s.open("c.db");
    assert_eq!(store.delivery(5).unwrap().sent, 0);
    assert!(store.audit().unwrap().iter().all(|e| e.action != "claim-messages"), "nothing was even claimed");

    // The page is the secretariat's: a liaison officer is refused, a visitor sent to sign in.
    assert_eq!(server.get("/en/admin/mail", "").0, 303);
    let app = TestApp::spawn_on(s.open("c.db"));
    let officer = crate::consultation::account(&app, &s, "enlace@sre.gob.mx", &["--role", "liaison", "--state", "MX"]);
    assert_eq!(server.get("/en/admin/mail", &officer).0, 403);
}

#[test]
fn the_outbox_claims_each_message_once_retries_then_gives_up_and_queues_a_keyed_message_once() {
    let s = Scratch::new();
    let mut store = s.open("c.db");
    let m = |to: &str| Message { to: to.into(), subject: "s".into(), body: "b".into() };
    let keyed = vec![("k1".to_string(), m("a@example.org")), ("k2".to_string(), m("b@example.org"))];
    assert_eq!(store.queue_once(&keyed, "test").unwrap(), 2);
    assert_eq!(store.queue_once(&keyed, "test").unwrap(), 0, "the same keys again");
    let now = Utc::now();
    let lease = now + chrono::Duration::minutes(10);
    let claimed = store.claim_due(now, lease, 10).unwrap();
    assert_eq!(claimed.len(), 2);
    assert!(store.claim_due(now, lease, 10).unwrap().is_empty(), "claimed messages wait for their lease");
    let (a, b) = (claimed[0].id, claimed[1].id);
    assert!(store.mark_sent(a, "<observa-outbox-1@example.org>", now).unwrap());
    assert!(!store.mark_sent(a, "<again>", now).unwrap(), "a message is marked sent once");
    assert!(store.record_failure(b, "421 try later", now, Some(now)).unwrap());
    let retry = store.claim_due(now, lease, 10).unwrap();
    assert_eq!((retry.len(), retry[0].attempts), (1, 1), "due again, with its attempt counted");
    assert!(store.record_failure(b, "550 no such user", now, None).unwrap());
    assert!(store.claim_due(lease + chrono::Duration::minutes(1), lease, 10).unwrap().is_empty(), "failed for good");
    let d = store.delivery(5).unwrap();
    assert_eq!((d.queued, d.sent, d.failed), (0, 1, 1));
    assert_eq!((d.failures[0].error.as_str(), d.failures[0].attempts), ("550 no such user", 2));
    let audit: Vec<String> = store.audit().unwrap().into_iter().map(|e| e.action).collect();
    for action in ["claim-messages", "send-message", "message-failed"] {
        assert!(audit.iter().any(|a| a == action), "{action} is audited");
    }
}
