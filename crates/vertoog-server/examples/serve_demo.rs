//! Serves a store with the demo map, for trying the API without the CLI:
//! `cargo run -p vertoog-server --example serve_demo -- STORE_DIR [ADDR]`
//! (ADDR defaults to 127.0.0.1:8080). Stops on Ctrl-C or SIGTERM.

use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    vertoog_server::init_tracing();
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: serve_demo STORE_DIR [ADDR]")?;
    let addr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8080".into())
        .parse()?;
    let store = Arc::new(vertoog_store::Store::open(std::path::Path::new(&dir))?);
    if vertoog_server::load_demo(&store)? {
        eprintln!("loaded the demo map");
    }
    let server = vertoog_server::bind(vertoog_server::ServerConfig::new(addr, store)).await?;
    eprintln!("http://{} ({:?} mode)", server.local_addr(), server.mode()?);
    server.run(vertoog_server::shutdown_signal()).await?;
    Ok(())
}
