use super::Authenticator;
use crate::http::ApiError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::{Error, web};

/// The token of an `Authorization: Bearer <token>` header.
fn bearer(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

/// Lets a request through only with a valid bearer token; otherwise 401 (the area renderer
/// around this writes it in the area's format).
pub async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let authenticator = req.app_data::<web::Data<Authenticator>>().cloned();
    let verdict = match (bearer(&req), authenticator) {
        // The environment's token and recently confirmed ones need no trip to the store, nor
        // a hop to the blocking pool: the request's one hop is its handler's.
        (Some(token), Some(auth)) if auth.is_known(&token) => Ok(true),
        (Some(token), Some(auth)) => web::block(move || auth.verify(&token))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::unavailable),
        _ => Ok(false),
    };
    match verdict {
        Ok(true) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
        // `error_response` keeps the error on the answer, for the area renderer to read.
        Ok(false) => Ok(req
            .error_response(ApiError::unauthorized())
            .map_into_right_body()),
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}
