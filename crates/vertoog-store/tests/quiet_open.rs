//! Issue 16 item 6: a panic inside sled while the store opens is caught without printing
//! sled's panic text (the store's error message comes alone); other panics are printed as
//! before. Its own test binary, so that the panic hook it installs is the first one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[test]
fn a_panic_while_opening_is_silent_and_others_are_not() {
    let seen = Arc::new(AtomicUsize::new(0));
    let s2 = seen.clone();
    std::panic::set_hook(Box::new(move |_| {
        s2.fetch_add(1, Ordering::SeqCst);
    }));
    let r = vertoog_store::quietly(|| -> u32 { panic!("sled: this must not be printed") });
    assert!(r.is_err());
    assert_eq!(
        seen.load(Ordering::SeqCst),
        0,
        "the caught panic was not reported"
    );
    let r = std::panic::catch_unwind(|| -> u32 { panic!("an ordinary panic") });
    assert!(r.is_err());
    assert_eq!(seen.load(Ordering::SeqCst), 1, "an ordinary panic still is");
    // A store opened after that works as before.
    let d = tempfile::tempdir().unwrap();
    vertoog_store::Store::open(d.path()).unwrap();
}
