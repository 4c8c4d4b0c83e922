//! Faults: PostgreSQL restarted under a running API, on a throwaway cluster of its own.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::json;

use super::{Api, COUNT, assert_clean, code, free_port, graphql, request};

// ---------------------------------------------------------------------------------------------------------
// A throwaway PostgreSQL cluster of our own

/// Where `initdb` and `pg_ctl` are: `OPPVEKSTGRAF_PG_BINDIR`, the newest `/usr/lib/postgresql/*/bin`,
/// `pg_config --bindir`, or the `PATH`.
fn postgres_bindir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("OPPVEKSTGRAF_PG_BINDIR") {
        return Some(PathBuf::from(dir)).filter(|d| has_tools(d));
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|d| has_tools(d))
        .collect();
    versions.sort_by_key(|d| {
        d.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(dir) = versions.pop() {
        return Some(dir);
    }
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(dir) = from_pg_config.filter(|d| has_tools(d)) {
        return Some(dir);
    }
    std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).find(|d| has_tools(d)))
}

fn output_of(command: &mut Command) -> Option<String> {
    command
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// A PostgreSQL cluster in a temporary directory on a free loopback port, stopped and removed when dropped.
/// PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` user and its commands run
/// through `runuser`.
struct Cluster {
    dir: tempfile::TempDir,
    bindir: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Cluster {
    /// Creates (initdb) a cluster; None when the binaries are missing outside CI (said loudly).
    fn create() -> Option<Cluster> {
        let skip = |why: String| {
            if std::env::var_os("CI").is_some() {
                panic!("a throwaway PostgreSQL cluster is required in CI: {why}");
            }
            eprintln!(
                "\n!!!!!!!! SKIPPING a fault test: {why}. Install PostgreSQL's server binaries or set \
                 OPPVEKSTGRAF_PG_BINDIR. In CI this is a failure. !!!!!!!!\n"
            );
            None
        };
        let Some(bindir) = postgres_bindir() else {
            return skip("no initdb and pg_ctl found".into());
        };
        let root = output_of(Command::new("id").arg("-u")).as_deref() == Some("0");
        let dir = tempfile::Builder::new()
            .prefix("og-pg-")
            .tempdir_in("/tmp")
            .expect("temp dir");
        if root {
            let uid = output_of(Command::new("id").args(["-u", "postgres"]));
            let gid = output_of(Command::new("id").args(["-g", "postgres"]));
            let (Some(uid), Some(gid)) = (
                uid.and_then(|u| u.parse().ok()),
                gid.and_then(|g| g.parse().ok()),
            ) else {
                return skip(
                    "running as root and there is no `postgres` user to own a cluster".into(),
                );
            };
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
        }
        let cluster = Cluster {
            dir,
            bindir,
            port: free_port(),
            as_postgres: root,
        };
        let data = cluster.data();
        let started = Instant::now();
        let out = cluster
            .command("initdb")
            .args(["-D", &data, "-A", "trust", "-U", "postgres", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync"])
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!(
            "throwaway cluster: initdb in {:?} ({})",
            started.elapsed(),
            cluster.bindir.display()
        );
        Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn command(&self, tool: &str) -> Command {
        let program = self.bindir.join(tool);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    fn pg_ctl(&self, args: &[&str]) -> std::process::Output {
        self.command("pg_ctl")
            .args(["-D", &self.data()])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run pg_ctl")
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=30",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log").display().to_string();
        let out = self.pg_ctl(&["-l", &log, "-o", &options, "-w", "-t", "30", "start"]);
        assert!(
            out.status.success(),
            "pg_ctl start failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    fn stop(&self, mode: &str) {
        let out = self.pg_ctl(&["-m", mode, "-w", "-t", "30", "stop"]);
        assert!(
            out.status.success(),
            "pg_ctl stop failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Stopped already, or stop it now; the directory goes with `dir`.
        if self.dir.path().join("data/postmaster.pid").exists() {
            self.pg_ctl(&["-m", "immediate", "-w", "-t", "30", "stop"]);
        }
    }
}

/// The API against a cluster that stops and starts again: while it is down, requests fail fast with
/// SERVICE_UNAVAILABLE, `/readyz` says 503 and `/healthz` 200; when it is back, the same process serves
/// again by itself.
#[tokio::test]
async fn postgres_restart_on_a_throwaway_cluster() {
    let Some(cluster) = Cluster::create() else {
        return;
    };
    let started = Instant::now();
    cluster.start();
    let api = Api::start(
        &cluster.url(),
        cluster.dir.path(),
        false,
        &[("DATABASE_ACQUIRE_TIMEOUT", "2")],
    )
    .await;
    let reply = graphql(api.addr, None, COUNT, json!({}))
        .await
        .expect("answer");
    assert_eq!(reply.status, 200);
    assert!(code(&reply.json()).is_none(), "{reply:?}");

    cluster.stop("fast");
    let down = Instant::now();
    let reply = graphql(api.addr, None, COUNT, json!({}))
        .await
        .expect("answer");
    let elapsed = down.elapsed();
    assert_eq!(reply.status, 200, "GraphQL errors keep HTTP 200: {reply:?}");
    assert_eq!(
        code(&reply.json()),
        Some("SERVICE_UNAVAILABLE"),
        "{reply:?}"
    );
    assert_clean(&reply.json());
    assert!(
        elapsed < Duration::from_secs(8),
        "the database is down: the answer must come fast, took {elapsed:?}"
    );
    let probe = Instant::now();
    let ready = request(api.addr, "GET", "/readyz", &[], None)
        .await
        .expect("answer");
    assert_eq!(ready.status, 503, "{ready:?}");
    assert!(
        probe.elapsed() < Duration::from_secs(4),
        "/readyz is bounded: {:?}",
        probe.elapsed()
    );
    let health = request(api.addr, "GET", "/healthz", &[], None)
        .await
        .expect("answer");
    assert_eq!(health.status, 200, "{health:?}");
    eprintln!("database down: SERVICE_UNAVAILABLE after {elapsed:?}, /readyz 503");

    cluster.start();
    let up = Instant::now();
    loop {
        let reply = graphql(api.addr, None, COUNT, json!({}))
            .await
            .expect("answer");
        if reply.status == 200 && code(&reply.json()).is_none() {
            break;
        }
        assert_eq!(
            code(&reply.json()),
            Some("SERVICE_UNAVAILABLE"),
            "{reply:?}"
        );
        assert!(
            up.elapsed() < Duration::from_secs(30),
            "the API did not recover within 30 s of the database's return:\n{}",
            api.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered = up.elapsed();
    let ready = request(api.addr, "GET", "/readyz", &[], None)
        .await
        .expect("answer");
    assert_eq!(ready.status, 200, "{ready:?}");
    eprintln!(
        "database back: the same process served again after {recovered:?} (whole test {:?})",
        started.elapsed()
    );
    drop(api);
    cluster.stop("fast");
}
