//! Graphviz renders and heavy work under bounds (issue 16 item 11):
//!
//! - [`render`] runs `dot` as a child process that is killed when the request ends in any
//!   way (answered, timed out with 408, or dropped by a client that went away): the child is
//!   owned by the request's future (`kill_on_drop`). Its output is capped at
//!   [`MAX_RENDER_BYTES`] (the child is killed beyond it) and a PNG is drawn at most 60 x 60
//!   inches at 96 dpi.
//! - [`heavy_permit`] bounds the renders that run at once ([`crate::MAX_HEAVY`]); a request
//!   beyond the bound gets 503 `busy` with `Retry-After` at once (a render may take until the
//!   request timeout, so a queue would only move the wait). Analyses have their own bound
//!   (`cache.rs`).
//! - [`discourse_plan`] picks, for the discourse SVG/PNG of a large map, a layout and an edge
//!   threshold that finish: at most [`DISCOURSE_EDGE_BUDGET`] edges (the strongest ones) and
//!   `sfdp` above [`DISCOURSE_SFDP_EDGES`] edges. The answer says which in the headers
//!   `X-Vertoog-Layout` and `X-Vertoog-Threshold`.

use std::process::Stdio;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::OwnedSemaphorePermit;
use vertoog_formats::dot::{Layout, RenderFormat};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Seconds a client is asked to wait after a 503 `busy`.
pub const RETRY_AFTER_SECS: &str = "5";

/// The largest image a render may produce (64 MiB).
pub const MAX_RENDER_BYTES: usize = 64 * 1024 * 1024;

/// A permit of a render, or 503 `busy` when [`crate::MAX_HEAVY`] already run.
pub(crate) fn heavy_permit(state: &AppState, what: &str) -> ApiResult<OwnedSemaphorePermit> {
    state.renders().clone().try_acquire_owned().map_err(|_| {
        ApiError::Busy(format!(
            "the server is busy with other analyses and images; {what} was not started, \
             try again in {RETRY_AFTER_SECS} seconds"
        ))
    })
}

/// Renders `dot` text with Graphviz. The child is killed when the returned future is
/// dropped (request finished, timed out or cancelled). 501 without Graphviz.
pub async fn render(dot: String, format: RenderFormat, layout: Layout) -> ApiResult<Vec<u8>> {
    let mut cmd = tokio::process::Command::new("dot");
    cmd.arg(match format {
        RenderFormat::Svg => "-Tsvg",
        RenderFormat::Png => "-Tpng",
    })
    .arg(match layout {
        Layout::Dot => "-Kdot",
        Layout::Sfdp => "-Ksfdp",
        Layout::Neato => "-Kneato",
    });
    if format == RenderFormat::Png {
        cmd.arg("-Gsize=60,60").arg("-Gdpi=96");
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ApiError::NotImplemented(
                "SVG and PNG need Graphviz (`dot`), which is not installed on the server; \
                 export format=dot and render it elsewhere"
                    .into(),
            )
        } else {
            ApiError::Internal(format!("cannot start Graphviz: {e}"))
        }
    })?;
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(ApiError::Internal(
            "Graphviz started without its pipes".into(),
        ));
    };
    let write = async move {
        // A failed write shows as the child's exit status and stderr.
        let _ = stdin.write_all(dot.as_bytes()).await;
        drop(stdin);
    };
    let read = async move {
        let mut out = Vec::new();
        let n = (&mut stdout)
            .take(MAX_RENDER_BYTES as u64 + 1)
            .read_to_end(&mut out)
            .await;
        n.map(|_| out)
    };
    let read_err = async move {
        let mut err = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut err).await;
        err
    };
    let ((), out, err) = tokio::join!(write, read, read_err);
    let out = out.map_err(|e| ApiError::Internal(format!("cannot read Graphviz's output: {e}")))?;
    if out.len() > MAX_RENDER_BYTES {
        let _ = child.kill().await;
        return Err(ApiError::Internal(format!(
            "the image is larger than {} MiB; export format=dot and render it with a \
             smaller size",
            MAX_RENDER_BYTES / (1024 * 1024)
        )));
    }
    let status = child
        .wait()
        .await
        .map_err(|e| ApiError::Internal(format!("Graphviz did not finish: {e}")))?;
    if !status.success() {
        return Err(ApiError::Internal(format!(
            "Graphviz failed ({status}): {}",
            String::from_utf8_lossy(&err).trim()
        )));
    }
    Ok(out)
}
