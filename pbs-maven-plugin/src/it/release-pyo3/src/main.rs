//! A Rust program that embeds CPython through PyO3 and runs a Python plugin, built by cargo with
//! nothing but the PYO3_CONFIG_FILE pbs:pyo3-config wrote. It finds the bundled interpreter beside
//! itself (tar.gz layout) or under ../lib/plugin-host (deb layout).
use pyo3::prelude::*;
use std::path::PathBuf;

fn bundled_home() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    [dir.join("python"), dir.join("../lib/plugin-host/python")]
        .into_iter()
        .find(|home| home.join("lib").is_dir())
}

/// The libpython the loader picked, as mapped into this process.
fn loaded_libpython() -> String {
    std::fs::read_to_string("/proc/self/maps")
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .find(|path| path.contains("libpython"))
        .unwrap_or("none")
        .to_string()
}

fn main() -> PyResult<()> {
    // No let-else: Debian 12's rustc (1.63) builds this too.
    let home = match bundled_home() {
        Some(home) => home,
        None => {
            eprintln!("plugin-host: the bundled python/ directory is missing");
            std::process::exit(2);
        }
    };
    std::env::set_var("PYTHONHOME", &home);
    pyo3::prepare_freethreaded_python();
    println!("libpython={}", loaded_libpython());
    Python::with_gil(|py| {
        let plugin = "import sys, json\nprint('plugin: python', sys.version.split()[0], json.dumps({'prefix': sys.prefix}))";
        py.run(plugin, None, None)
    })
}
