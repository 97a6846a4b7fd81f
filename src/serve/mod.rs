//! `raadsite serve`: builds the site, serves the output folder over HTTP on the local machine,
//! rebuilds when the sources change and reloads open browser tabs.
//!
//! Rebuilds keep what the build before rendered ([`crate::pipeline::build_incremental`]), so an edit
//! renders only the pages whose inputs it changed and writes only files whose bytes changed;
//! a failed build leaves the last good site in place (and served); its messages
//! go to the terminal (through the caller's `report` function) and to the browser as an
//! overlay. The live-reload script is added to HTML responses only, never to the files.

pub mod http;

use std::io::Cursor;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::{BuildOptions, Incremental, Report, build_incremental};
use crate::profile::Profile;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build.
    pub build: BuildOptions,
    /// Address to listen on; the local machine only unless the user chooses otherwise.
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
}

/// What happens while serving, for the caller to show.
#[derive(Debug)]
pub enum Event {
    /// The server listens here.
    Listening(SocketAddr),
    /// A build succeeded; `trigger` is how long after the first change it finished.
    Built {
        /// The build's report.
        report: Report,
        /// Time from the first file change seen to the new site being in place.
        since_change: Option<Duration>,
    },
    /// A build failed; the last good site stays.
    Failed(Diagnostics),
}

/// The build state the live-reload script polls.
#[derive(Default)]
struct State {
    /// Counts finished builds, good or bad.
    generation: u64,
    /// The messages of the last build, if it failed.
    error: Option<String>,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

/// How long a poll of the live-reload script waits for news before it answers anyway.
const POLL: Duration = Duration::from_secs(25);
/// Changes arriving within this time of each other are built together.
const SETTLE: Duration = Duration::from_millis(25);
/// The same after a file was closed once written: its writer is done with it, so only
/// the rest of a burst of saves (several files, as a checkout makes) is waited for.
const SETTLE_AFTER_CLOSE: Duration = Duration::from_millis(5);

/// Builds, serves and rebuilds on changes until the process ends.
pub fn serve(opts: &ServeOptions, report: &(dyn Fn(Event) + Sync)) -> Result<(), Diagnostics> {
    let output = opts.build.output_dir();
    crate::output::check_target(&opts.build.root, &output)?;
    let (server, addr) = listen(opts)?;

    let shared: Shared = Arc::default();
    let mut state = Incremental::new();
    let built = rebuild(opts, &mut state, &shared, None, report);

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        if let Ok(e) = e {
            let _ = tx.send(e);
        }
    })
    .map_err(|e| Diagnostic::general(format!("could not watch the site's files: {e}")))?;
    let root = &opts.build.root;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| Diagnostic::in_file(root, format!("could not watch: {e}")))?;
    let mut watched = Vec::new();
    watch_folders(&mut watcher, root, &mut watched)?;

    answer_requests(server, output.clone(), Arc::clone(&shared));
    if built {
        // The first build leaves no back buffer that the writer knows, so the next one
        // would link every unchanged file into a new one (about half a second for 10,000
        // pages). Done now, before anyone is told to edit, and quietly: the site does not
        // change. Edits made meanwhile wait in the channel.
        let _ = build_incremental(&opts.build, Profile::default(), &mut state);
    }
    report(Event::Listening(addr));

    let ignored = ignored_paths(root, &output);
    while let Ok(first) = rx.recv() {
        let started = Instant::now();
        let burst = gather(first, &rx, &ignored);
        if burst.relevant {
            // A folder made since (templates/ for a first own template): watched from now
            // on; this build walks it anyway, as its creation is no edit of known files.
            let _ = watch_folders(&mut watcher, root, &mut watched);
            state.edited(burst.edited);
            // The page first, then its PDF (see `pdfs_later`): Typst takes tens of
            // milliseconds per PDF, and an edit touches a letter's opgaven too.
            state.pdfs_later(true);
            let built = rebuild(opts, &mut state, &shared, Some(started), report);
            state.pdfs_later(false);
            if built && opts.build.progress.pdfs().deferred > 0 {
                state.edited(Some(Vec::new()));
                rebuild(opts, &mut state, &shared, Some(started), report);
            }
        }
    }
    drop(watcher);
    Ok(())
}

/// Opens the server on the chosen address and port, and returns it with the address it
/// listens on (the port filled in when 0 asked for any).
fn listen(opts: &ServeOptions) -> Result<(Server, SocketAddr), Diagnostic> {
    let server = Server::http(SocketAddr::new(opts.bind, opts.port)).map_err(|e| {
        Diagnostic::general(format!(
            "could not listen on {}:{}: {e}",
            opts.bind, opts.port
        ))
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| Diagnostic::general("the server has no IP address"))?;
    Ok((server, addr))
}

/// Answers the server's requests from now on, each on a thread of its own, with the files
/// in `output` and the build state in `shared`.
fn answer_requests(server: Server, output: PathBuf, shared: Shared) {
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let shared = Arc::clone(&shared);
            let output = output.clone();
            std::thread::spawn(move || respond(request, &output, &shared));
        }
    });
}

/// The file-system events of one burst: those arriving within [`SETTLE`] of each other.
struct Burst {
    /// Whether any of them concerns the site's sources.
    relevant: bool,
    /// The source files whose contents they changed, or `None` when one created, removed or
    /// renamed something (see [`edits`]).
    edited: Option<Vec<PathBuf>>,
}

/// Waits for the rest of the burst that `first` begins, and sums it up.
fn gather(first: notify::Event, rx: &mpsc::Receiver<notify::Event>, ignored: &[PathBuf]) -> Burst {
    let mut burst = Burst {
        relevant: false,
        edited: Some(Vec::new()),
    };
    let mut next = Some(first);
    while let Some(event) = next.take() {
        let settle = if is_closed_after_write(&event) {
            SETTLE_AFTER_CLOSE
        } else {
            SETTLE
        };
        next = rx.recv_timeout(settle).ok();
        if is_relevant(&event, ignored) {
            burst.relevant = true;
            match (&mut burst.edited, edits(&event)) {
                (Some(all), Some(paths)) => all.extend(paths),
                _ => burst.edited = None,
            }
        }
    }
    burst
}

/// Builds the site once more, tells the live-reload script and the caller how it went, and
/// returns whether it succeeded.
fn rebuild(
    opts: &ServeOptions,
    state: &mut Incremental,
    shared: &Shared,
    started: Option<Instant>,
    report: &(dyn Fn(Event) + Sync),
) -> bool {
    let result = build_incremental(&opts.build, Profile::default(), state);
    let ok = result.is_ok();
    let (lock, changed) = &**shared;
    {
        let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
        state.generation += 1;
        state.error = result.as_ref().err().map(ToString::to_string);
    }
    changed.notify_all();
    report(match result {
        Ok(r) => Event::Built {
            report: r,
            since_change: started.map(|s| s.elapsed()),
        },
        Err(d) => Event::Failed(d),
    });
    ok
}

/// Watches each source folder of the site that exists and is not watched yet: a site may
/// lack `templates/`, `static/` or `themes/` (the built-in theme needs none) and make one
/// while it is served.
fn watch_folders(
    watcher: &mut impl Watcher,
    root: &Path,
    watched: &mut Vec<PathBuf>,
) -> Result<(), Diagnostic> {
    // A removed folder took its watch with it.
    watched.retain(|p| p.is_dir());
    for dir in ["content", "templates", "themes", "static"] {
        let path = root.join(dir);
        if path.is_dir() && !watched.contains(&path) {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Diagnostic::in_file(&path, format!("could not watch: {e}")))?;
            watched.push(path);
        }
    }
    Ok(())
}

/// The output folder and its work folder (the back buffer, the stamp), whose changes are
/// the server's own.
fn ignored_paths(root: &Path, output: &Path) -> Vec<PathBuf> {
    let abs = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let mut out = vec![abs(output)];
    // Its parent is resolved, not the folder itself: the first build may have failed before
    // making it.
    if let Some(work) = crate::output::work_dir(output)
        && let (Some(parent), Some(name)) = (work.parent(), work.file_name())
    {
        out.push(abs(parent).join(name));
    }
    out.push(abs(root).join("public"));
    out
}

/// The files whose contents `event` changed, or `None` when it created, removed or renamed
/// something (or cannot say), so that the next build must look at the folders again.
fn edits(event: &notify::Event) -> Option<Vec<PathBuf>> {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode, ModifyKind};
    match event.kind {
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_) | ModifyKind::Any)
        | EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(event.paths.clone()),
        _ => None,
    }
}

/// Whether the event says a file's writer is done with it.
fn is_closed_after_write(event: &notify::Event) -> bool {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode};
    matches!(
        event.kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

/// Whether a file-system event concerns the site's sources.
fn is_relevant(event: &notify::Event, ignored: &[PathBuf]) -> bool {
    if event.kind.is_access() {
        return false;
    }
    event.paths.iter().any(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        // Editors' swap and backup files.
        let scratch = name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name.starts_with(".#");
        !scratch && !ignored.iter().any(|i| p.starts_with(i))
    })
}

/// Answers one request: the live-reload poll, a file of the site, or 405 for other methods.
fn respond(request: Request, output: &Path, shared: &Shared) {
    let url = request.url().to_owned();
    let result = match request.method() {
        Method::Get | Method::Head => {
            if url.split('?').next() == Some(http::WAIT_PATH) {
                let since = url
                    .split_once("sinds=")
                    .and_then(|(_, n)| n.split('&').next()?.parse().ok());
                request.respond(wait(shared, since))
            } else {
                request.respond(file(output, &url, shared))
            }
        }
        _ => request.respond(Response::from_string("").with_status_code(405)),
    };
    // A browser that went away is no error of ours.
    let _ = result;
}

/// Answers when the build generation differs from `since`, or after [`POLL`].
fn wait(shared: &Shared, since: Option<u64>) -> Response<Cursor<Vec<u8>>> {
    let (lock, changed) = &**shared;
    let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
    let deadline = Instant::now() + POLL;
    while since == Some(state.generation) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        state = changed
            .wait_timeout(state, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    let body = format!(
        "{{\"generatie\":{},\"fout\":{}}}",
        state.generation,
        state
            .error
            .as_deref()
            .map_or_else(|| "null".to_owned(), crate::json::script_string)
    );
    with_type(Response::from_data(body), "application/json")
}

/// A file of the site, with the live-reload script in HTML; the site's 404 page when there
/// is none.
fn file(output: &Path, url: &str, shared: &Shared) -> Response<Cursor<Vec<u8>>> {
    let not_found = || {
        let page = std::fs::read(output.join("404.html"))
            .unwrap_or_else(|_| b"<!doctype html><title>404</title><p>Niet gevonden</p>".to_vec());
        with_type(
            Response::from_data(inject(page, shared)),
            "text/html; charset=utf-8",
        )
        .with_status_code(404)
    };
    match http::resolve(output, url) {
        http::Target::File(path) => match std::fs::read(&path) {
            Ok(bytes) => {
                let kind = crate::mime::content_type(&path.to_string_lossy());
                let bytes = if kind.starts_with("text/html") {
                    inject(bytes, shared)
                } else {
                    bytes
                };
                with_type(Response::from_data(bytes), kind)
            }
            Err(_) => not_found(),
        },
        http::Target::Redirect(to) => {
            let mut r = Response::from_data(Vec::new()).with_status_code(301);
            if let Ok(h) = Header::from_bytes("Location", to) {
                r.add_header(h);
            }
            r
        }
        http::Target::NotFound => not_found(),
    }
}

/// `page` with the live-reload script and the current build state.
fn inject(page: Vec<u8>, shared: &Shared) -> Vec<u8> {
    let state = shared.0.lock().unwrap_or_else(|e| e.into_inner());
    http::inject(&page, state.generation, state.error.as_deref())
}

/// `r` with its content type, and not to be cached.
fn with_type(mut r: Response<Cursor<Vec<u8>>>, kind: &str) -> Response<Cursor<Vec<u8>>> {
    for (name, value) in [("Content-Type", kind), ("Cache-Control", "no-store")] {
        if let Ok(h) = Header::from_bytes(name, value) {
            r.add_header(h);
        }
    }
    r
}
