//! The JSON request body: read up to the limit, parsed into a DTO, every failure an
//! [`ApiError`]. Bad syntax is `INVALID_JSON` (400); a well-formed body of the wrong shape, or
//! a string holding a NUL character, is `VALIDATION_ERROR` (422) naming the field.

use super::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

/// Largest accepted body: 1 MiB.
pub const BODY_LIMIT: usize = 1 << 20;

/// How long a body may take to arrive (`HUB_REQUEST_TIMEOUT_SECS`); registered as app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub std::time::Duration);

/// Without a configured timeout (an embedding that registered none), bodies get 30 s.
const DEFAULT_BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A request body parsed as `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let timeout = req
            .app_data::<actix_web::web::Data<BodyTimeout>>()
            .map_or(DEFAULT_BODY_TIMEOUT, |t| t.0);
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > BODY_LIMIT) {
                return Err(ApiError::payload_too_large(BODY_LIMIT));
            }
            let read = async {
                let mut body = Vec::new();
                while let Some(chunk) = payload.next().await {
                    let chunk = chunk
                        .map_err(|e| ApiError::invalid_json(format!("body unreadable: {e}")))?;
                    if body.len() + chunk.len() > BODY_LIMIT {
                        return Err(ApiError::payload_too_large(BODY_LIMIT));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(body)
            };
            // A client that declares a body and sends it slowly (or never) holds a connection
            // and, at shutdown, the drain: it gets a bounded wait and then 408.
            let body = actix_web::rt::time::timeout(timeout, read)
                .await
                .map_err(|_| {
                    ApiError::new(
                        super::code::Code::RequestTimeout,
                        format!(
                            "the request body did not arrive within {} s",
                            timeout.as_secs()
                        ),
                    )
                })??;
            parse(&body).map(JsonBody)
        })
    }
}

/// Parses a whole body, which must be a JSON object, as `T`, naming the path of a mistyped
/// field. (Serde would also read a struct from an array; no body of this API is one.)
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        serde_json::from_slice::<serde::de::IgnoredAny>(body).map_err(ApiError::invalid_json)?;
        return Err(ApiError::validation("request body: must be a JSON object"));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::invalid_json(inner)
        } else if path == "." {
            ApiError::validation(format!("request body: {}", strip_position(&inner)))
        } else {
            ApiError::validation(format!("{path}: {}", strip_position(&inner)))
        }
    })?;
    de.end().map_err(ApiError::invalid_json)?;
    refuse_nul(body)?;
    Ok(value)
}

/// Text never holds NUL: PostgreSQL cannot store it and SQLite would cut the string there, so
/// both stores refuse it alike, here. A JSON text can only carry NUL as the escape `\u0000`;
/// only a body containing that sequence is walked to name the field.
fn refuse_nul(body: &[u8]) -> Result<(), ApiError> {
    const ESCAPE: &[u8] = b"\\u0000";
    if !body.windows(ESCAPE.len()).any(|w| w == ESCAPE) {
        return Ok(());
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(ApiError::invalid_json)?;
    match nul_path(&value, String::new()) {
        Some(path) => Err(ApiError::validation(format!(
            "{path}: must not contain the NUL character"
        ))),
        None => Ok(()),
    }
}

/// The path (`tasks[0].content`) of the first string or key holding NUL.
fn nul_path(value: &serde_json::Value, at: String) -> Option<String> {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_owned()
        } else {
            format!("{at}.{key}")
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(if at.is_empty() {
            "request body".to_owned()
        } else {
            at
        }),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_path(v, format!("{at}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(join(&k.replace('\0', "\\0")))
            } else {
                nul_path(v, join(k))
            }
        }),
        _ => None,
    }
}

/// serde_json appends "at line L column C", which means nothing next to a field name.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::code::Code;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: Option<String>,
        total_cpu: Option<i64>,
    }

    #[test]
    fn syntax_errors_are_invalid_json() {
        for body in [&b"{\"name\": "[..], b"", b"{} trailing"] {
            let e = parse::<Body>(body).err();
            assert_eq!(e.map(|e| e.code), Some(Code::InvalidJson));
        }
    }

    #[test]
    fn wrong_types_name_the_field() {
        let e = parse::<Body>(br#"{"total_cpu": "sixteen"}"#).err();
        assert_eq!(e.as_ref().map(|e| e.code), Some(Code::ValidationError));
        assert!(e.is_some_and(|e| e.message.starts_with("total_cpu: invalid type")));
        let e = parse::<Body>(b"[1]").err();
        assert!(e.is_some_and(|e| e.message.starts_with("request body:")));
    }

    #[test]
    fn nul_in_text_names_the_field() {
        let e = parse::<Body>(br#"{"name": "a\u0000b"}"#).err();
        assert_eq!(e.as_ref().map(|e| e.code), Some(Code::ValidationError));
        assert_eq!(
            e.map(|e| e.message),
            Some("name: must not contain the NUL character".to_owned())
        );
        let nested: Result<serde_json::Value, _> =
            parse(br#"{"tasks": [{"content": "x"}, {"content": "\u0000"}]}"#);
        assert!(nested.is_err_and(|e| e.message.starts_with("tasks[1].content:")));
        // An escaped backslash before `u0000` is no NUL.
        assert!(parse::<Body>(br#"{"name": "a\\u0000"}"#).is_ok());
    }
}
