//! The `anbao` binary: parse arguments, run, map the outcome to an exit code.

/// mimalloc rather than the system allocator: loading and checking a large inventory makes
/// millions of small allocations, and glibc's malloc spent a third of the check's time on them
/// (consolidating and unlinking chunks). The benchmarks use the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    anbao::cli::run()
}
