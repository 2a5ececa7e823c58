//! A Rust program that embeds CPython through PyO3 and runs a Python plugin, built by cargo with
//! nothing but the PYO3_CONFIG_FILE pbs:pyo3-config wrote. start_bundled_python is the code
//! README.md ("Finding the bundled Python at run time") gives; pbs:verify's smoke runs prove it.
use pyo3::prelude::*;

// --- begin: start_bundled_python (README.md) ---
use pyo3::ffi;
use std::path::{Path, PathBuf};

/// The python/ directory shipped with this program: beside the executable (tar.gz, zip), else
/// ../lib/APP/python (deb, rpm). current_exe() reads /proc/self/exe, _NSGetExecutablePath or
/// GetModuleFileNameW.
fn bundled_python_home(app: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?.canonicalize().ok()?;
    let dir = exe.parent()?;
    [dir.join("python"), dir.join("..").join("lib").join(app).join("python")]
        .into_iter()
        .find(|home| home.is_dir())
}

/// Starts the interpreter with the bundled Python as its home, isolated from the user's
/// PYTHONHOME and PYTHONPATH, before anything of PyO3 runs. Without a home, CPython looks where
/// the build machine had it (python-build-standalone: /install) and fails on users' machines.
fn start_bundled_python(app: &str) {
    let home = match bundled_python_home(app) {
        Some(home) => home,
        None => {
            eprintln!("{}: the bundled python/ directory is missing", app);
            std::process::exit(2);
        }
    };
    unsafe {
        let mut config = std::mem::MaybeUninit::<ffi::PyConfig>::uninit();
        ffi::PyConfig_InitIsolatedConfig(config.as_mut_ptr());
        let config = config.as_mut_ptr();
        let mut status = set_home(config, &home);
        if ffi::PyStatus_Exception(status) == 0 {
            status = ffi::Py_InitializeFromConfig(config);
        }
        ffi::PyConfig_Clear(config);
        if ffi::PyStatus_Exception(status) != 0 {
            ffi::Py_ExitStatusException(status);
        }
        // As pyo3::prepare_freethreaded_python does: release the GIL for Python::with_gil.
        ffi::PyEval_SaveThread();
    }
}

#[cfg(unix)]
unsafe fn set_home(config: *mut ffi::PyConfig, home: &Path) -> ffi::PyStatus {
    use std::os::unix::ffi::OsStrExt;
    let home = std::ffi::CString::new(home.as_os_str().as_bytes()).expect("no NUL in a path");
    ffi::PyConfig_SetBytesString(config, &mut (*config).home, home.as_ptr())
}

#[cfg(windows)]
unsafe fn set_home(config: *mut ffi::PyConfig, home: &Path) -> ffi::PyStatus {
    use std::os::windows::ffi::OsStrExt;
    let home: Vec<u16> = home.as_os_str().encode_wide().chain(Some(0)).collect();
    ffi::PyConfig_SetString(config, &mut (*config).home, home.as_ptr())
}
// --- end: start_bundled_python ---

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
    start_bundled_python("plugin-host");
    println!("libpython={}", loaded_libpython());
    Python::with_gil(|py| {
        let plugin = "import sys, json\nprint('plugin: python', sys.version.split()[0], json.dumps({'prefix': sys.prefix}))";
        py.run(plugin, None, None)?;
        // PyO3 never finalizes the interpreter, so nothing flushes Python's stdout at exit.
        py.import("sys")?.getattr("stdout")?.call_method0("flush")?;
        Ok(())
    })
}
