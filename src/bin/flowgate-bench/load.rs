//! The load generator: keep-alive HTTP/1.1 clients on their own threads, each sending what a closure
//! builds, with latency percentiles over every answered request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::Fail;

pub fn request(
    method: &str,
    path: &str,
    host: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Vec<u8> {
    let mut r = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n");
    if let Some(t) = token {
        r.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    let body = body.unwrap_or("");
    r.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    r.into_bytes()
}

/// One keep-alive HTTP/1.1 connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    pub fn open(addr: &str) -> Result<Conn, Fail> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn {
            writer: s.try_clone()?,
            reader: BufReader::with_capacity(64 * 1024, s),
        })
    }

    pub fn roundtrip(&mut self, req: &[u8]) -> Result<(u16, Vec<u8>), Fail> {
        self.writer.write_all(req)?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("bad status line")?;
        let mut len = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; len];
        self.reader.read_exact(&mut body)?;
        Ok((status, body))
    }
}

pub struct Figures {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
    pub requests: u64,
}

/// Runs `connections` keep-alive clients for `seconds`; `make(i, rng)` builds each request.
pub fn load(
    addr: &str,
    seconds: u64,
    connections: u64,
    make: Arc<dyn Fn(&mut u64) -> Vec<u8> + Send + Sync>,
) -> Result<Figures, Fail> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();
    for i in 0..connections {
        let addr = addr.to_string();
        let stop = stop.clone();
        let make = make.clone();
        handles.push(std::thread::spawn(
            move || -> Result<(Vec<u32>, u64), String> {
                let mut conn = Conn::open(&addr).map_err(|e| e.to_string())?;
                let mut rng =
                    0x9E37_79B9_7F4A_7C15u64 ^ (i + 1).wrapping_mul(0x2545_F491_4F6C_DD1D);
                let mut lat = Vec::with_capacity(1 << 16);
                let mut errors = 0;
                while !stop.load(Ordering::Relaxed) {
                    let req = make(&mut rng);
                    let t = Instant::now();
                    match conn.roundtrip(&req) {
                        Ok((s, _)) => {
                            lat.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
                            if !(200..300).contains(&s) {
                                errors += 1;
                            }
                        }
                        Err(_) => {
                            errors += 1;
                            conn = Conn::open(&addr).map_err(|e| e.to_string())?;
                        }
                    }
                }
                Ok((lat, errors))
            },
        ));
    }
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (lat, e) = h.join().map_err(|_| "client thread panicked")??;
        all.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    Ok(Figures {
        rps: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        errors,
        requests: all.len() as u64,
    })
}

pub fn next(rng: &mut u64) -> u64 {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    *rng
}
