//! `vertoog serve`: the web UI and JSON API.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use vertoog_server::{bind, load_demo, shutdown_signal, ServerConfig, ServerError};

use super::{open_store, store_error};
use crate::cli::ServeArgs;
use crate::error::{CliError, CliResult};

pub fn serve(store_dir: &Path, args: ServeArgs) -> CliResult {
    let addr: SocketAddr = args.addr.parse().map_err(|_| {
        CliError::input(format!(
            "--addr: `{}` is not an address like 127.0.0.1:8080",
            args.addr
        ))
    })?;
    let store = Arc::new(open_store(store_dir)?);
    if args.demo {
        match load_demo(&store) {
            Ok(true) => eprintln!(
                "loaded the demo map `demo` (illustrative stances and ties, not real positions)"
            ),
            Ok(false) => {}
            Err(e) => return Err(server_error(e)),
        }
    }
    vertoog_server::init_tracing();
    // Store calls and analyses run on tokio's blocking pool; a bounded pool keeps memory flat
    // under load (every thread keeps its own allocator heap) while still overlapping fsyncs.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(16)
        .enable_all()
        .build()
        .map_err(|e| CliError::runtime(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async move {
        let mut config = ServerConfig::new(addr, store);
        config.allowed_hosts = args.allowed_hosts;
        // The first `GET .../analysis` of a recent map finds it computed (issue 22).
        config.warm = true;
        let server = bind(config).await.map_err(server_error)?;
        let url = format!("http://{}", server.local_addr());
        // The address alone on stdout's first line, so scripts (and tests) can read it.
        println!("{url}");
        // The server itself logs the mode (local, or tokens required).
        server.mode().map_err(server_error)?;
        if args.demo {
            eprintln!("open {url}/#map=demo");
        }
        server.run(shutdown_signal()).await.map_err(server_error)
    })
}

fn server_error(e: ServerError) -> CliError {
    match e {
        ServerError::NoTokens { .. } | ServerError::Bind { .. } => CliError::input(e),
        ServerError::Store(s) => store_error(s),
        other => CliError::runtime(other),
    }
}
