//! Maps, history and administration: `map`, `merge`, `log`, `undo`, `erase`, `token`,
//! `backup`, `restore`.

use std::path::Path;

use vertoog_model::{validate_map, Map};

use super::{open_store, store_error, PRINCIPAL};
use crate::cli::{
    BackupArgs, EraseArgs, LogArgs, MapCommand, MergeArgs, RestoreArgs, TokenCommand, UndoArgs,
};
use crate::error::{CliError, CliResult};
use crate::output::print_json;

pub fn map(store_dir: &Path, cmd: MapCommand) -> CliResult {
    match cmd {
        MapCommand::Create { id, name } => {
            let mut map = Map::new(&id);
            if let Some(name) = name {
                map.name = name.trim().to_string();
            }
            if let Some(e) = validate_map(&map).into_iter().next() {
                return Err(CliError::input(format!("map {}: {e}", map.id)));
            }
            let store = open_store(store_dir)?;
            let map = store.create_map(map, PRINCIPAL).map_err(store_error)?;
            println!(
                "created map {} ({})",
                map.id,
                vertoog_model::neutralise(&map.name)
            );
            Ok(())
        }
        MapCommand::List { json } => {
            let store = open_store(store_dir)?;
            let maps = store.list_maps().map_err(store_error)?;
            if json {
                return print_json(&maps);
            }
            if maps.is_empty() {
                println!("no maps yet: create one with `vertoog map create ID` or `vertoog import --create`");
            }
            for m in maps {
                println!(
                    "{}\t{}\t(updated {})",
                    m.id,
                    vertoog_model::neutralise(&m.name),
                    m.updated
                );
            }
            Ok(())
        }
        MapCommand::Delete { id } => {
            let store = open_store(store_dir)?;
            store.delete_map(&id, PRINCIPAL).map_err(store_error)?;
            println!("deleted map {id}");
            Ok(())
        }
    }
}

pub fn merge(store_dir: &Path, args: MergeArgs) -> CliResult {
    let store = open_store(store_dir)?;
    let r = store
        .merge_actors(&args.map, &args.keep_id, &args.other_id, PRINCIPAL)
        .map_err(store_error)?;
    println!(
        "merged {} into {}: {} stances and {} ties moved, {} ties dropped, aliases added: {}",
        r.other,
        r.keep,
        r.stances_moved,
        r.ties_moved,
        r.ties_dropped.len(),
        if r.aliases_added.is_empty() {
            "none".to_string()
        } else {
            r.aliases_added.join("; ")
        }
    );
    Ok(())
}

pub fn log(store_dir: &Path, args: LogArgs) -> CliResult {
    let store = open_store(store_dir)?;
    let entries = store.log(&args.map).map_err(store_error)?;
    if args.json {
        return print_json(&entries);
    }
    for e in entries {
        println!(
            "{:>5}  {}  {:<10} {:<7} {:<9} {:<20} {}",
            e.seq,
            e.timestamp,
            e.principal,
            e.operation.as_str(),
            e.entity.as_str(),
            e.id,
            e.summary
        );
    }
    Ok(())
}

pub fn undo(store_dir: &Path, args: UndoArgs) -> CliResult {
    let store = open_store(store_dir)?;
    let r = store
        .undo(&args.map, args.to, PRINCIPAL)
        .map_err(store_error)?;
    let list: Vec<String> = r.reverted.iter().map(u64::to_string).collect();
    println!(
        "reverted log entr{} {} ({} changes); the undo is log entry {} and can itself be undone",
        if r.reverted.len() == 1 { "y" } else { "ies" },
        list.join(", "),
        r.changes,
        r.log_seq
    );
    Ok(())
}

pub fn erase(store_dir: &Path, args: EraseArgs) -> CliResult {
    let store = open_store(store_dir)?;
    let r = store
        .erase_actor(&args.map, &args.actor_id, PRINCIPAL)
        .map_err(store_error)?;
    println!(
        "erased actor {} ({})",
        r.actor,
        vertoog_model::neutralise(&r.name)
    );
    println!("  stances removed: {}", r.stances.len());
    println!("  ties removed: {}", r.ties.len());
    if !r.children.is_empty() {
        println!("  parent cleared on: {}", r.children.join(", "));
    }
    println!("  change-log entries scrubbed: {}", r.log_entries_scrubbed);
    println!(
        "  the store's files may still hold old bytes of it until `vertoog compact` rewrites them"
    );
    Ok(())
}

pub fn compact(store_dir: &Path) -> CliResult {
    if !store_dir.is_dir() {
        return Err(CliError::input(format!(
            "there is no store at {} (see --store)",
            store_dir.display()
        )));
    }
    let c = match vertoog_store::compact(store_dir) {
        Err(e @ vertoog_store::StoreError::Locked { .. }) => {
            return Err(CliError::runtime(format!(
                "{e}; stop `vertoog serve` (and other vertoog commands on it) first"
            )))
        }
        other => other.map_err(store_error)?,
    };
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!(
        "compacted {}: {:.1} MiB -> {:.1} MiB",
        store_dir.display(),
        mib(c.bytes_before),
        mib(c.bytes_after)
    );
    Ok(())
}

fn print_tokens(tokens: Vec<vertoog_store::TokenInfo>, json: bool) -> CliResult {
    if json {
        return print_json(&tokens);
    }
    for t in tokens {
        println!(
            "{}\t{}\t{}",
            vertoog_model::neutralise(&t.name),
            t.role.as_str(),
            t.created
        );
    }
    Ok(())
}

/// `vertoog token ...`: on the store folder, or with `--server URL` through the running
/// server's token routes (the server holds the store's lock; it checks tokens on every
/// request, so the change works at once).
pub fn token(store_dir: &Path, cmd: TokenCommand) -> CliResult {
    let server = match &cmd {
        TokenCommand::Create { server, .. }
        | TokenCommand::List { server, .. }
        | TokenCommand::Revoke { server, .. } => server.clone(),
    };
    if let Some(url) = server {
        return token_through_server(&url, cmd);
    }
    let store = match vertoog_store::Store::open(store_dir) {
        Err(e @ vertoog_store::StoreError::Locked { .. }) => {
            return Err(CliError::runtime(format!(
                "{e}; to manage tokens while the server runs, pass --server \
                 http://HOST:PORT (with an admin token in $VERTOOG_TOKEN if it has tokens)"
            )))
        }
        other => other.map_err(store_error)?,
    };
    match cmd {
        TokenCommand::Create { name, role, .. } => {
            let secret = store.create_token(&name, role).map_err(store_error)?;
            // The token alone on stdout, one line: scripts capture it. It is not shown again.
            println!("{secret}");
            eprintln!("token `{name}` created; store it now: it is kept only as a hash");
            Ok(())
        }
        TokenCommand::List { json, .. } => {
            print_tokens(store.list_tokens().map_err(store_error)?, json)
        }
        TokenCommand::Revoke { name, .. } => {
            store.revoke_token(&name).map_err(store_error)?;
            println!("revoked token {name}");
            Ok(())
        }
    }
}

fn token_through_server(url: &str, cmd: TokenCommand) -> CliResult {
    let refused = |status: u16, body: &[u8]| {
        let message = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(body).to_string());
        let hint = if status == 401 || status == 403 {
            " (put an admin token in $VERTOOG_TOKEN)"
        } else {
            ""
        };
        let text = format!(
            "the server at {url} refused: HTTP {status}: {}{hint}",
            vertoog_model::neutralise(&message)
        );
        if status == 404 || status == 409 || status == 422 {
            CliError::input(text)
        } else {
            CliError::runtime(text)
        }
    };
    match cmd {
        TokenCommand::Create { name, role, .. } => {
            let body = serde_json::json!({"name": name, "role": role.as_str()});
            let (status, answer) = http_request(url, "POST", "tokens", Some(&body))?;
            if status != 201 {
                return Err(refused(status, &answer));
            }
            let v: serde_json::Value = serde_json::from_slice(&answer)?;
            println!("{}", v["token"].as_str().unwrap_or_default());
            eprintln!("token `{name}` created; store it now: it is kept only as a hash");
            Ok(())
        }
        TokenCommand::List { json, .. } => {
            let (status, answer) = http_request(url, "GET", "tokens", None)?;
            if status != 200 {
                return Err(refused(status, &answer));
            }
            let v: serde_json::Value = serde_json::from_slice(&answer)?;
            let tokens: Vec<vertoog_store::TokenInfo> = serde_json::from_value(v["items"].clone())?;
            print_tokens(tokens, json)
        }
        TokenCommand::Revoke { name, .. } => {
            let path = format!("tokens/{}", percent_encode(&name));
            let (status, answer) = http_request(url, "DELETE", &path, None)?;
            if status != 204 {
                return Err(refused(status, &answer));
            }
            println!("revoked token {name}");
            Ok(())
        }
    }
}

/// Percent-encodes everything but unreserved characters (a path segment).
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One request to `{url}/api/v1/{path}` over plain HTTP/1.1 with the bearer token of
/// `$VERTOOG_TOKEN` (never from the command line, where other users could see it); a JSON
/// body when given. Answers (status, body).
fn http_request(
    url: &str,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> CliResult<(u16, Vec<u8>)> {
    use std::io::{Read, Write};
    let bad = || {
        CliError::input(format!(
            "--server: `{url}` is not a URL like http://127.0.0.1:8080"
        ))
    };
    let rest = url.trim().strip_prefix("http://").ok_or_else(bad)?;
    let (host, prefix) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    if host.is_empty() {
        return Err(bad());
    }
    let full = format!("/{}/api/v1/{path}", prefix.trim_end_matches('/')).replacen("//", "/", 1);
    let mut stream = std::net::TcpStream::connect(host)
        .map_err(|e| CliError::runtime(format!("cannot reach the server at {url}: {e}")))?;
    let auth = match std::env::var("VERTOOG_TOKEN") {
        Ok(t) if !t.trim().is_empty() => format!("Authorization: Bearer {}\r\n", t.trim()),
        _ => String::new(),
    };
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let content = if body.is_some() {
        format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            payload.len()
        )
    } else {
        "Content-Length: 0\r\n".to_string()
    };
    write!(
        stream,
        "{method} {full} HTTP/1.1\r\nHost: {host}\r\n{auth}{content}Accept: application/json\r\nConnection: close\r\n\r\n{payload}"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| CliError::runtime(format!("{url} did not answer with HTTP")))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut answer = raw[split + 4..].to_vec();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| CliError::runtime(format!("{url} did not answer with HTTP")))?;
    if head.lines().any(|l| {
        l.to_ascii_lowercase().starts_with("transfer-encoding:")
            && l.to_ascii_lowercase().contains("chunked")
    }) {
        answer = dechunk(&answer)
            .ok_or_else(|| CliError::runtime("the server's answer is cut short"))?;
    }
    Ok((status, answer))
}

pub fn backup(store_dir: &Path, args: BackupArgs) -> CliResult {
    let snapshot = match &args.server {
        Some(url) => backup_from_server(url)?,
        None => {
            let store = match vertoog_store::Store::open(store_dir) {
                Err(e @ vertoog_store::StoreError::Locked { .. }) => {
                    return Err(CliError::runtime(format!(
                        "{e}; to back it up while the server runs, pass --server \
                         http://HOST:PORT (with an admin token in $VERTOOG_TOKEN if it has tokens)"
                    )))
                }
                other => other.map_err(store_error)?,
            };
            store.export_all().map_err(store_error)?
        }
    };
    // 0600: a backup holds every map and the token hashes.
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let file = opts
        .open(&args.out)
        .map_err(|e| CliError::runtime(format!("{}: {e}", args.out.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| CliError::runtime(format!("{}: {e}", args.out.display())))?;
    }
    let mut w = std::io::BufWriter::new(file);
    serde_json::to_writer(&mut w, &snapshot)?;
    std::io::Write::flush(&mut w)?;
    w.into_inner()
        .map_err(|e| CliError::runtime(e.to_string()))?
        .sync_all()?;
    let logs: usize = snapshot.maps.iter().map(|m| m.log.len()).sum();
    println!(
        "wrote backup {}: {} maps, {} log entries, {} tokens (as hashes)",
        args.out.display(),
        snapshot.maps.len(),
        logs,
        snapshot.tokens.len()
    );
    Ok(())
}

pub fn restore(store_dir: &Path, args: RestoreArgs) -> CliResult {
    let text = std::fs::read(&args.path)
        .map_err(|e| CliError::input(format!("{}: {e}", args.path.display())))?;
    let snapshot: vertoog_store::Snapshot = serde_json::from_slice(&text).map_err(|e| {
        CliError::input(format!(
            "{}: line {}: not a vertoog backup: {e}",
            args.path.display(),
            e.line()
        ))
    })?;
    let maps = snapshot.maps.len();
    // Checked before the store is touched: a tampered backup changes nothing.
    match snapshot.check_digest() {
        Ok(vertoog_store::DigestCheck::Matches) => {}
        Ok(vertoog_store::DigestCheck::Absent) => eprintln!(
            "warning: {} has no digest (written by an older vertoog), so it cannot be checked \
             for changes; restoring it as it is",
            args.path.display()
        ),
        Err(e) => {
            return Err(CliError::input(format!("{}: {e}", args.path.display())));
        }
    }
    let store = open_store(store_dir)?;
    store.import_all(snapshot).map_err(store_error)?;
    println!(
        "restored {} into {}: {maps} maps",
        args.path.display(),
        store_dir.display()
    );
    Ok(())
}

/// Fetches `GET /api/v1/backup` from a running server over plain HTTP/1.1 (loopback or a
/// trusted network; the snapshot holds every map). The bearer token comes from
/// `$VERTOOG_TOKEN` (never from the command line, where other users could see it).
fn backup_from_server(url: &str) -> CliResult<vertoog_store::Snapshot> {
    let (status, body) = http_request(url, "GET", "backup", None)?;
    if status != 200 {
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&body).to_string());
        let hint = if status == 401 || status == 403 {
            " (put an admin token in $VERTOOG_TOKEN)"
        } else {
            ""
        };
        return Err(CliError::runtime(format!(
            "the server at {url} refused the backup: HTTP {status}: {message}{hint}"
        )));
    }
    serde_json::from_slice(&body)
        .map_err(|e| CliError::runtime(format!("the server at {url} sent no valid backup: {e}")))
}

/// Decodes an HTTP/1.1 chunked body; `None` when it is cut short.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
