//! The `stance` command: parse the arguments, run, map errors to exit codes.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: start-up (compiling patterns, building
/// the gazetteer's automaton, decoding the model) and classification allocate many
/// small objects, and glibc's malloc and free took about a seventh of either.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (the same place in its v2 and v3 enums;
/// libmimalloc-sys names the options around it but not this one).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Return freed pages to the system at once rather than after 10 ms: with the delay,
    // peak memory grew with the input (96 MB at 100 MB, 124 MB at 1 GB); without it, a
    // 300 MB run peaked at 101 MB instead of 112 MB in the same time.
    // SAFETY: `mi_option_set` is not thread-safe; no other thread runs yet.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        // a closed pipe (`stance classify … | head`) is a success
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", chain(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes joined by `: `, each cause once: a library error that prints
/// its source (`x.csv: No such file …`) is not followed by that source again.
fn chain(e: &anyhow::Error) -> String {
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !msg.ends_with(&c) {
            msg.push_str(": ");
            msg.push_str(&c);
        }
    }
    msg
}
