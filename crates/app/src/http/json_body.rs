//! The JSON request body: read up to the limit, parsed into a DTO, every failure an
//! [`ApiError`] in the area's format. Bad syntax is `INVALID_JSON` (400); a well-formed body of
//! the wrong shape is `VALIDATION_ERROR` (422) naming the field.

use super::error::{ApiError, WireFormat};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

/// Largest accepted body: 1 MiB.
pub const BODY_LIMIT: usize = 1 << 20;

/// A request body parsed as `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let format = WireFormat::for_path(req.path());
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > BODY_LIMIT) {
                return Err(ApiError::payload_too_large(BODY_LIMIT).in_format(format));
            }
            let mut body = Vec::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    ApiError::invalid_json(format!("body unreadable: {e}")).in_format(format)
                })?;
                if body.len() + chunk.len() > BODY_LIMIT {
                    return Err(ApiError::payload_too_large(BODY_LIMIT).in_format(format));
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(JsonBody).map_err(|e| e.in_format(format))
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
    Ok(value)
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

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: Option<String>,
        total_cpu: Option<i64>,
    }

    #[test]
    fn syntax_errors_are_invalid_json() {
        let e = parse::<Body>(b"{\"name\": ").err();
        assert_eq!(e.map(|e| e.code), Some("INVALID_JSON".to_owned()));
        let e = parse::<Body>(b"").err();
        assert_eq!(e.map(|e| e.code), Some("INVALID_JSON".to_owned()));
        let e = parse::<Body>(b"{} trailing").err();
        assert_eq!(e.map(|e| e.code), Some("INVALID_JSON".to_owned()));
    }

    #[test]
    fn wrong_types_name_the_field() {
        let e = parse::<Body>(br#"{"total_cpu": "sixteen"}"#).err();
        assert_eq!(
            e.as_ref().map(|e| e.code.as_str()),
            Some("VALIDATION_ERROR")
        );
        assert!(e.is_some_and(|e| e.message.starts_with("total_cpu: invalid type")));
        let e = parse::<Body>(b"[1]").err();
        assert!(e.is_some_and(|e| e.message.starts_with("request body:")));
    }
}
