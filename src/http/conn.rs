//! The connection under actix's HTTP/1 dispatcher, so that the answers the dispatcher writes itself
//! carry the JSON envelope too.
//!
//! actix-http answers a request it cannot parse (400), a head not received within the request timeout
//! (408) and a head over its limits (431) on its own, before any application code runs, with an empty
//! body and no way to change it. Those are the only bodiless 400/408/431 answers on a connection
//! (flowgate's own errors always have an envelope), and the dispatcher writes them last, just before
//! it closes: [`Conn`] recognises such a head at the end of what is written and writes the same head
//! with the envelope (`{"errors":[{"message","code"}]}`), a JSON content type and `nosniff` instead.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::error::{Code, Error};

/// The limits of actix-http's request head (`h1::decoder`), named in the 431 answer.
const HEAD_LIMIT: &str = "128 KiB and 96 headers";

pub struct Conn<T> {
    io: T,
    /// The request timeout, named in the 408 answer.
    timeout: std::time::Duration,
    /// Bytes written in place of what the dispatcher wrote, still to be sent.
    pending: Vec<u8>,
    sent: usize,
}

impl<T> Conn<T> {
    pub fn new(io: T, timeout: std::time::Duration) -> Conn<T> {
        Conn {
            io,
            timeout,
            pending: Vec::new(),
            sent: 0,
        }
    }
}

impl<T: AsyncWrite + Unpin> Conn<T> {
    /// Sends what is pending; `Ready(Ok)` once nothing is.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            match Pin::new(&mut self.io).poll_write(cx, &self.pending[self.sent..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => self.sent += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Conn<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Conn<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if let Poll::Ready(Err(e)) = this.drain(cx) {
            return Poll::Ready(Err(e));
        }
        if !this.pending.is_empty() {
            return Poll::Pending;
        }
        match with_envelope(buf, this.timeout) {
            Some(replaced) => {
                this.pending = replaced;
                match this.drain(cx) {
                    Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                    // What is left goes out on the next write, flush or shutdown (the socket wakes us).
                    _ => Poll::Ready(Ok(buf.len())),
                }
            }
            None => Pin::new(&mut this.io).poll_write(cx, buf),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.io).poll_flush(cx),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match this.drain(cx) {
            Poll::Ready(Ok(())) => Pin::new(&mut this.io).poll_shutdown(cx),
            other => other,
        }
    }
}

/// `buf` with a bodiless 400/408/431 head at its end replaced by the same answer with the envelope;
/// `None` when `buf` does not end with one.
fn with_envelope(buf: &[u8], timeout: std::time::Duration) -> Option<Vec<u8>> {
    if !buf.ends_with(b"\r\n\r\n") {
        return None;
    }
    // The last response head in `buf` (earlier ones are pipelined answers, passed through).
    let start = buf.windows(7).rposition(|w| w == b"HTTP/1.")?;
    let head = std::str::from_utf8(&buf[start..]).ok()?;
    let (status_line, fields) = head.split_once("\r\n")?;
    let error = match status_line.split(' ').nth(1)? {
        "400" => Error::new(Code::BadRequest, "Malformed HTTP request"),
        "408" => Error::new(
            Code::RequestTimeout,
            format!(
                "Request headers were not received within {}",
                crate::time::format_duration(timeout)
            ),
        ),
        "431" => Error::new(
            Code::HeadersTooLarge,
            format!("Request headers exceed the limit of {HEAD_LIMIT}"),
        ),
        _ => return None,
    };
    let fields: Vec<&str> = fields.split("\r\n").filter(|l| !l.is_empty()).collect();
    if fields.iter().any(|l| {
        l.eq_ignore_ascii_case("content-type")
            || l.to_ascii_lowercase().starts_with("content-type:")
    }) {
        return None;
    }
    let bodiless = fields.iter().any(|l| {
        l.split_once(':')
            .is_some_and(|(k, v)| k.eq_ignore_ascii_case("content-length") && v.trim() == "0")
    });
    if !bodiless {
        return None;
    }
    let body = error.body().to_string();
    let mut out = buf[..start].to_vec();
    out.extend_from_slice(status_line.as_bytes());
    out.extend_from_slice(b"\r\n");
    for l in fields
        .iter()
        .filter(|l| !l.to_ascii_lowercase().starts_with("content-length:"))
    {
        out.extend_from_slice(l.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        format!(
            "content-type: application/json; charset=utf-8\r\nx-content-type-options: nosniff\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: std::time::Duration = std::time::Duration::from_secs(10);

    fn text(v: Option<Vec<u8>>) -> String {
        String::from_utf8(v.expect("replaced")).unwrap()
    }

    #[test]
    fn framework_answers_get_the_envelope() {
        let out = text(with_envelope(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\ndate: x\r\n\r\n", T));
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(
            head.starts_with("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ndate: x\r\n"),
            "{head}"
        );
        assert!(head.contains("content-type: application/json; charset=utf-8"));
        assert!(head.contains("x-content-type-options: nosniff"));
        assert!(head.ends_with(&format!("content-length: {}", body.len())));
        assert_eq!(
            body,
            r#"{"errors":[{"message":"Malformed HTTP request","code":"BAD_REQUEST"}]}"#
        );
        let out = text(with_envelope(
            b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n\r\n",
            T,
        ));
        assert!(out.ends_with(r#"{"errors":[{"message":"Request headers were not received within 10s","code":"REQUEST_TIMEOUT"}]}"#), "{out}");
        let out = text(with_envelope(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n",
            T,
        ));
        assert!(out.contains("REQUEST_HEADERS_TOO_LARGE"), "{out}");
    }

    #[test]
    fn a_pipelined_answer_before_it_is_kept() {
        let first = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
        let buf = format!("{first}HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
        let out = text(with_envelope(buf.as_bytes(), T));
        assert!(
            out.starts_with(&format!("{first}HTTP/1.1 400 Bad Request\r\n")),
            "{out}"
        );
        assert!(out.ends_with(r#""code":"BAD_REQUEST"}]}"#));
    }

    #[test]
    fn other_answers_pass_through() {
        // Ours: with a body (the head alone is written when the body follows in another write, but then
        // its content-length is not 0), other statuses, and a head that is not at the end.
        for buf in [
            "HTTP/1.1 400 Bad Request\r\ncontent-length: 70\r\ncontent-type: application/json\r\n\r\n",
            "HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}",
            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            "HTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\ncontent-type: application/json\r\n\r\n",
        ] {
            assert!(with_envelope(buf.as_bytes(), T).is_none(), "{buf}");
        }
    }
}
