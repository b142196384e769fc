//! The success envelope of seed 002: `{"success": true, "data": …, "message": "…"}`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::{Value, json};

pub fn reply(status: StatusCode, data: Value, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "success": true, "data": data, "message": message }))
}

/// A success with no data (deletes), as the seed shows it.
pub fn done(message: &str) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "success": true, "message": message }))
}
