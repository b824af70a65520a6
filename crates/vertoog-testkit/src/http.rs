//! A minimal HTTP/1.1 client for tests: one request per connection.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A complete HTTP answer.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    /// The header lines in the order received (names as sent by the server).
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Resp {
    /// The body as JSON; panics with the status and body when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The bytes of a request: the request line, `Host`, `Connection: close`, the given headers,
/// `Content-Length` (unless given) and the body.
pub fn encode(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    head.push_str("Connection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Parses a whole answer (read until the server closed the connection). `Err` when it is
/// incomplete: no head, a chunked body without its last chunk, or fewer bytes than
/// `Content-Length`.
pub fn parse(raw: &[u8]) -> Result<Resp, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("incomplete answer head")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut resp = Resp {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    };
    if resp
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        resp.body = dechunk(&resp.body).ok_or("incomplete chunked body")?;
    } else if let Some(n) = resp.header("content-length") {
        let n: usize = n.parse().map_err(|_| "bad content-length")?;
        if resp.body.len() < n {
            return Err(format!("body cut short: {} of {n} bytes", resp.body.len()));
        }
        resp.body.truncate(n);
    }
    Ok(resp)
}

/// Whether `raw` already holds a whole answer with a `Content-Length` or chunked body (some
/// servers, chromedriver among them, keep the connection open despite `Connection: close`).
/// An answer with neither is complete only at the close.
fn is_complete(raw: &[u8]) -> bool {
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let body = &raw[split + 4..];
    for line in head.lines().skip(1) {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        match k.trim() {
            "transfer-encoding" if v.contains("chunked") => return dechunk(body).is_some(),
            "content-length" => return v.trim().parse::<usize>().is_ok_and(|n| body.len() >= n),
            _ => {}
        }
    }
    false
}

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

/// The answer of what was read, or the first I/O error when nothing usable was read (an
/// answer read before a reset still counts: the server closed early on purpose).
fn answer(
    raw: Vec<u8>,
    written: std::io::Result<()>,
    read: std::io::Result<usize>,
) -> Result<Resp, String> {
    match parse(&raw) {
        Ok(r) => Ok(r),
        Err(e) => Err(match (written, read) {
            (Err(w), _) => w.to_string(),
            (_, Err(r)) => r.to_string(),
            _ => e,
        }),
    }
}

/// One request on a fresh connection, blocking (connect timeout 5 s, read timeout 30 s).
/// `Err` when the connection fails or the answer is incomplete.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Resp, String> {
    let sock: SocketAddr = addr.parse().map_err(|e| format!("{addr}: {e}"))?;
    let mut s =
        TcpStream::connect_timeout(&sock, Duration::from_secs(5)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    // A server may answer and close before the whole body is sent (a 413 for a body over the
    // limit): a failed write is then no failure as long as an answer can be read.
    let written = s.write_all(&encode(addr, method, path, headers, body));
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let read = loop {
        match s.read(&mut buf) {
            Ok(0) => break Ok(raw.len()),
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if is_complete(&raw) {
                    break Ok(raw.len());
                }
            }
            Err(e) => break Err(e),
        }
    };
    answer(raw, written, read)
}

/// [`request`] with an optional JSON body (sent with `Content-Type: application/json`).
pub fn request_json(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Result<Resp, String> {
    let mut h: Vec<(&str, &str)> = headers.to_vec();
    let bytes = match body {
        Some(v) => {
            h.push(("Content-Type", "application/json"));
            v.to_string().into_bytes()
        }
        None => Vec::new(),
    };
    request(addr, method, path, &h, &bytes)
}

/// One request on a fresh connection, for tokio tests.
pub async fn request_async(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Resp, String> {
    let mut s = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let written = s
        .write_all(&encode(&addr.to_string(), method, path, headers, body))
        .await;
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let read = loop {
        match s.read(&mut buf).await {
            Ok(0) => break Ok(raw.len()),
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if is_complete(&raw) {
                    break Ok(raw.len());
                }
            }
            Err(e) => break Err(e),
        }
    };
    answer(raw, written, read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_content_length_and_chunked_answers() {
        let r =
            parse(b"HTTP/1.1 201 Created\r\nETag: \"x\"\r\ncontent-length: 2\r\n\r\n{}").unwrap();
        assert_eq!(
            (r.status, r.header("etag"), r.text().as_str()),
            (201, Some("\"x\""), "{}")
        );
        let r = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
            .unwrap();
        assert_eq!(r.body, b"abcde");
        assert!(parse(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab").is_err());
        assert!(parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab").is_err());
        assert!(parse(b"HTTP/1.1 200").is_err());
        assert!(is_complete(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab"
        ));
        assert!(!is_complete(
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab"
        ));
        assert!(is_complete(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n"
        ));
        assert!(!is_complete(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nab"
        ));
    }

    #[test]
    fn encodes_host_length_and_close() {
        let raw = encode("127.0.0.1:9", "POST", "/x", &[("A", "b")], b"hi");
        let text = String::from_utf8(raw).unwrap();
        assert_eq!(
            text,
            "POST /x HTTP/1.1\r\nHost: 127.0.0.1:9\r\nConnection: close\r\nA: b\r\nContent-Length: 2\r\n\r\nhi"
        );
    }
}
